package harness

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/llmchaos/llmchaos/mocks/control"
)

func TestFaultProtocolKinds(t *testing.T) {
	cases := []struct {
		f    *ProtocolFault
		kind string
		str  string
	}{
		{Status(503), "status", "status 503"},
		{RateLimited(2 * time.Second), "rate-limit", "rate-limit 429 retry-after 2s"},
		{Overloaded(), "overloaded", "overloaded 529"},
		{PartialErrors(0.3, 503), "partial-errors", "partial-errors 503 on 30% of requests"},
		{Status(500, WithFirstN(3)), "partial-errors", "partial-errors 500 on the first 3 requests"},
		{StreamError(2), "stream-error", "stream-error after 2 chunks"},
		{Truncate(3), "truncate", "truncate after 3 chunks"},
		{Stall(time.Second), "stall", "stall keepalive 1s"},
		{Malformed(1), "malformed", "malformed after 1 chunks"},
		{SlowTokens(time.Second, 50*time.Millisecond), "slow-tokens", "slow-tokens ttft 1s, 50ms/token"},
		{NoUsage(), "no-usage", "no-usage"},
		{Hang(), "hang", "hang"},
		{Hang(WithHold(time.Second)), "hang", "hang for 1s"},
		{PartialSuccess(0.25), "partial-success", "partial-success rejects 25%"},
		{&ProtocolFault{Name: "custom", Fault: control.Fault{Type: control.TypeStatus, Status: 400}}, "custom", "custom 400"},
	}
	for _, c := range cases {
		if c.f.Kind() != c.kind || c.f.String() != c.str {
			t.Errorf("Kind, String = %q, %q; want %q, %q", c.f.Kind(), c.f.String(), c.kind, c.str)
		}
		if err := c.f.Fault.Validate(); err != nil {
			t.Errorf("%s: builds an invalid fault: %v", c.str, err)
		}
	}
	f := RateLimited(time.Second, WithRetryAfterMs(), WithShouldRetry(false), WithFraction(0.5), WithScopeSeed(9))
	if f.Fault.RetryAfterAs != control.RetryAfterMs || f.Fault.ShouldRetry == nil || *f.Fault.ShouldRetry || f.Fault.Fraction != 0.5 || f.Fault.Seed != 9 {
		t.Errorf("options not applied: %+v", f.Fault)
	}
	if f := RateLimited(time.Second, WithRetryAfterDate()); f.Fault.RetryAfterAs != control.RetryAfterDate {
		t.Errorf("WithRetryAfterDate not applied: %+v", f.Fault)
	}
}

// faultTestChat posts an OpenAI chat request through u's proxy.
func faultTestChat(t *testing.T, c *http.Client, u *Upstream, stream bool) (*http.Response, string, error) {
	t.Helper()
	body := `{"model":"gpt-4o","messages":[{"role":"user","content":"hi [llmchaos-id:r1]"}],"stream":` +
		map[bool]string{true: `true,"stream_options":{"include_usage":true}`, false: "false"}[stream] + `}`
	req, _ := http.NewRequest(http.MethodPost, u.URL+"/v1/chat/completions", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	resp, err := c.Do(req)
	if err != nil {
		return nil, "", err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp, string(b), err
}

func TestFaultProtocolHitsTrafficAndReverts(t *testing.T) {
	envTestLeakCheck(t)
	env, err := NewEnv(context.Background(), []UpstreamSpec{{Name: "primary", Kind: KindOpenAI, AnswerWords: 8}, {Name: "collector", Kind: KindOTLP}}, WithSeed(3))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = env.Close() })
	u, _ := env.Upstream("primary")
	c := envTestClient(t, 5*time.Second, true)
	short := envTestClient(t, 400*time.Millisecond, false)

	okStream := func(t *testing.T) {
		resp, body, err := faultTestChat(t, c, u, true)
		if err != nil || resp.StatusCode != 200 || !strings.Contains(body, "[DONE]") || !strings.Contains(body, "upstream=primary") {
			t.Fatalf("healthy stream: err %v body %q", err, body)
		}
	}
	status := func(code int, header, value string) func(t *testing.T) {
		return func(t *testing.T) {
			resp, _, err := faultTestChat(t, c, u, false)
			if err != nil || resp.StatusCode != code {
				t.Fatalf("got %v %v, want status %d", resp, err, code)
			}
			if header != "" && resp.Header.Get(header) != value {
				t.Errorf("%s: %q, want %q", header, resp.Header.Get(header), value)
			}
		}
	}
	streamBody := func(check func(body string) bool, want string) func(t *testing.T) {
		return func(t *testing.T) {
			resp, body, err := faultTestChat(t, c, u, true)
			if err != nil || resp.StatusCode != 200 || !check(body) {
				t.Fatalf("stream: err %v body %q; want %s", err, body, want)
			}
		}
	}
	timesOut := func(t *testing.T) {
		if _, _, err := faultTestChat(t, short, u, true); !envTestIsTimeout(err) {
			t.Fatalf("err %v, want a client timeout", err)
		}
	}
	cases := []struct {
		f   *ProtocolFault
		hit func(t *testing.T)
	}{
		{Status(503), status(503, "", "")},
		{RateLimited(2 * time.Second), status(429, "Retry-After", "2")},
		{Overloaded(), status(529, "", "")},
		{StreamError(2), streamBody(func(b string) bool { return strings.Contains(b, `"error"`) && !strings.Contains(b, "[DONE]") }, "an error event and no [DONE]")},
		{Truncate(2), streamBody(func(b string) bool { return !strings.Contains(b, "[DONE]") && !strings.Contains(b, "<<end") }, "no [DONE], no end marker")},
		{Malformed(1), streamBody(faultTestHasBadFrame, "a frame that is not JSON")},
		{NoUsage(), streamBody(func(b string) bool { return strings.Contains(b, "[DONE]") && !strings.Contains(b, `"usage":{`) }, "no usage chunk")},
		{Stall(0), timesOut},
		{Hang(), timesOut},
		{SlowTokens(500*time.Millisecond, 0), func(t *testing.T) {
			start := time.Now()
			if resp, _, err := faultTestChat(t, c, u, false); err != nil || resp.StatusCode != 200 {
				t.Fatalf("slow answer: %v", err)
			}
			if d := time.Since(start); d < 450*time.Millisecond {
				t.Errorf("answer with 500ms ttft took %v", d)
			}
		}},
		{PartialErrors(0.5, 500, WithScopeSeed(7)), func(t *testing.T) {
			failed := 0
			for i := 0; i < 40; i++ {
				resp, _, err := faultTestChat(t, c, u, false)
				if err != nil {
					t.Fatal(err)
				}
				if resp.StatusCode == 500 {
					failed++
				}
			}
			if failed < 8 || failed > 32 {
				t.Errorf("%d of 40 requests failed with a 50%% error rate", failed)
			}
		}},
	}
	okStream(t)
	for _, tc := range cases {
		t.Run(tc.f.Kind(), func(t *testing.T) {
			revert, err := tc.f.Apply(context.Background(), u)
			if err != nil {
				t.Fatalf("Apply %s: %v", tc.f, err)
			}
			tc.hit(t)
			if err := revert(); err != nil {
				t.Fatal(err)
			}
			if n := len(u.Mock.Faults()); n != 0 {
				t.Fatalf("%d faults still active after revert", n)
			}
			okStream(t)
		})
	}

	t.Run("partial-success on the collector", func(t *testing.T) {
		col, _ := env.Upstream("collector")
		revert, err := PartialSuccess(0.5).Apply(context.Background(), col)
		if err != nil {
			t.Fatal(err)
		}
		export := func() string {
			spans := make([]string, 4)
			for i := range spans {
				spans[i] = `{"traceId":"5b8efff798038103d269b633813fc60c","spanId":"eee19b7ec3c1b17` + string(rune('0'+i)) + `","name":"s","kind":1,"startTimeUnixNano":"1","endTimeUnixNano":"2"}`
			}
			body := `{"resourceSpans":[{"scopeSpans":[{"spans":[` + strings.Join(spans, ",") + `]}]}]}`
			resp, err := c.Post(col.URL+"/v1/traces", "application/json", strings.NewReader(body))
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			b, _ := io.ReadAll(resp.Body)
			return string(b)
		}
		if b := export(); !strings.Contains(b, "rejectedSpans") {
			t.Errorf("export during partial-success: %s; want rejected spans", b)
		}
		if err := revert(); err != nil {
			t.Fatal(err)
		}
		if b := export(); strings.Contains(b, "rejectedSpans") {
			t.Errorf("export after revert: %s", b)
		}
	})

	t.Run("unsupported mode is an error", func(t *testing.T) {
		if _, err := PartialSuccess(0.5).Apply(context.Background(), u); err == nil {
			t.Error("partial-success applied to the llm mock")
		}
	})
}

func faultTestHasBadFrame(body string) bool {
	for _, line := range strings.Split(body, "\n") {
		data, ok := strings.CutPrefix(line, "data: ")
		if ok && data != "[DONE]" && !json.Valid([]byte(data)) {
			return true
		}
	}
	return false
}
