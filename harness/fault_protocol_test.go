package harness

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/llmchaos/llmchaos/harness/fault"
)

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
	env, err := NewEnv(context.Background(), []UpstreamSpec{{Name: "primary", Kind: KindOpenAI, AnswerWords: 8}, {Name: "collector", Kind: KindOTLP}}, 3)
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
		f   *fault.Protocol
		hit func(t *testing.T)
	}{
		{fault.Status(503), status(503, "", "")},
		{fault.RateLimited(2 * time.Second), status(429, "Retry-After", "2")},
		{fault.Overloaded(), status(529, "", "")},
		{fault.StreamError(2), streamBody(func(b string) bool { return strings.Contains(b, `"error"`) && !strings.Contains(b, "[DONE]") }, "an error event and no [DONE]")},
		{fault.Truncate(2), streamBody(func(b string) bool { return !strings.Contains(b, "[DONE]") && !strings.Contains(b, "<<end") }, "no [DONE], no end marker")},
		{fault.Malformed(1), streamBody(faultTestHasBadFrame, "a frame that is not JSON")},
		{fault.NoUsage(), streamBody(func(b string) bool { return strings.Contains(b, "[DONE]") && !strings.Contains(b, `"usage":{`) }, "no usage chunk")},
		{fault.Stall(0), timesOut},
		{fault.Hang(), timesOut},
		{fault.SlowTokens(500*time.Millisecond, 0), func(t *testing.T) {
			start := time.Now()
			if resp, _, err := faultTestChat(t, c, u, false); err != nil || resp.StatusCode != 200 {
				t.Fatalf("slow answer: %v", err)
			}
			if d := time.Since(start); d < 450*time.Millisecond {
				t.Errorf("answer with 500ms ttft took %v", d)
			}
		}},
		{fault.PartialErrors(0.5, 500, fault.WithScopeSeed(7)), func(t *testing.T) {
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
			revert, err := tc.f.Apply(context.Background(), u.Target())
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
		revert, err := fault.PartialSuccess(0.5).Apply(context.Background(), col.Target())
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
		if _, err := fault.PartialSuccess(0.5).Apply(context.Background(), u.Target()); err == nil {
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
