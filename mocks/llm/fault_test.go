package llm

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/anthropics/anthropic-sdk-go"
	aoption "github.com/anthropics/anthropic-sdk-go/option"
	"github.com/llmchaos/llmchaos/mocks/control"
	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/option"
)

func faultSlow(ttft, token time.Duration) control.Fault {
	return control.Fault{Type: control.TypeSlowTokens, TTFT: control.Duration(ttft), TokenDelay: control.Duration(token)}
}

func ptr[T any](v T) *T { return &v }

// checkRetries checks that the journal holds n attempts of one request, numbered by
// X-Stainless-Retry-Count 0..n-1, each arriving at least minGap after the one before.
func checkRetries(t *testing.T, at []control.Attempt, n int, minGap time.Duration) {
	t.Helper()
	if len(at) != n {
		t.Fatalf("%d attempts, want %d: %+v", len(at), n, at)
	}
	for i, a := range at {
		if a.RetryCount != i || a.CorrelationID != at[0].CorrelationID {
			t.Fatalf("attempt %d: retry count %d id %q: %+v", i, a.RetryCount, a.CorrelationID, at)
		}
		if i > 0 {
			if gap := a.Arrived.Sub(at[i-1].Arrived); gap < minGap {
				t.Fatalf("attempt %d came %v after the one before, want >= %v", i, gap, minGap)
			}
		}
	}
}

func TestOpenAISDKHonoursRetryAfter(t *testing.T) {
	s, hs := start(t)
	setFault(t, s, control.Fault{Type: control.TypeStatus, Status: 429, RetryAfter: control.Duration(time.Second)})
	_, err := openAIClient(hs.URL).Chat.Completions.New(context.Background(), chatParams("ra-1"))
	var apiErr *openai.Error
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 429 || apiErr.Type != "rate_limit_error" || apiErr.Code != "rate_limit_exceeded" {
		t.Fatalf("err = %v", err)
	}
	at := waitAttempts(t, s, 3)
	checkRetries(t, at, 3, 900*time.Millisecond) // default 2 retries, each after Retry-After: 1
	for _, a := range at {
		if a.Status != 429 || a.Fault != "status" || a.RetryAfter != time.Second || a.Complete {
			t.Fatalf("attempt %+v", a)
		}
	}
}

func TestShouldRetryFalseStopsOpenAIRetries(t *testing.T) {
	s, hs := start(t)
	setFault(t, s, control.Fault{Type: control.TypeStatus, Status: 500, ShouldRetry: ptr(false)})
	_, err := openAIClient(hs.URL).Chat.Completions.New(context.Background(), chatParams("nr-1"))
	var apiErr *openai.Error
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 500 || apiErr.Type != "server_error" {
		t.Fatalf("err = %v", err)
	}
	// New returned: every attempt the SDK made is over, so the count is final.
	if at := waitAttempts(t, s, 1); len(at) != 1 {
		t.Fatalf("x-should-retry: false still gave %d attempts", len(at))
	}
}

func TestOpenAISDKPrefersRetryAfterMs(t *testing.T) {
	s, hs := start(t)
	setFault(t, s, control.Fault{Type: control.TypeStatus, Status: 503, RetryAfter: control.Duration(250 * time.Millisecond),
		RetryAfterAs: control.RetryAfterMs, Scope: control.Scope{FirstN: 1}})
	got, err := openAIClient(hs.URL).Chat.Completions.New(context.Background(), chatParams("ms-1"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Verify(got.Choices[0].Message.Content); err != nil {
		t.Fatal(err)
	}
	at := waitAttempts(t, s, 2)
	checkRetries(t, at, 2, 200*time.Millisecond)
	// Retry-After alone says 1 (rounded up); the SDK waited the 250 ms of retry-after-ms.
	if gap := at[1].Arrived.Sub(at[0].Arrived); gap >= 900*time.Millisecond {
		t.Fatalf("retry came after %v: retry-after-ms ignored", gap)
	}
	if at[0].Status != 503 || at[1].Status != 200 || !at[1].Complete {
		t.Fatalf("journal %+v", at)
	}
}

func TestRetryAfterHeaders(t *testing.T) {
	s, hs := start(t)
	id, _ := s.SetFault(control.Fault{Type: control.TypeStatus, Status: 429, RetryAfter: control.Duration(1500 * time.Millisecond), RetryAfterAs: control.RetryAfterMs})
	res := post(t, hs.URL+"/v1/chat/completions", openAIReqBody)
	if res.Header.Get("Retry-After") != "2" || res.Header.Get("retry-after-ms") != "1500" || res.Header.Get("x-should-retry") != "" {
		t.Fatalf("headers %v", res.Header)
	}
	s.ClearFault(id)
	setFault(t, s, control.Fault{Type: control.TypeStatus, Status: 503, RetryAfter: control.Duration(2 * time.Second), RetryAfterAs: control.RetryAfterDate, ShouldRetry: ptr(true)})
	before := time.Now().Truncate(time.Second)
	res = post(t, hs.URL+"/v1/messages", anthropicReqBody)
	when, err := http.ParseTime(res.Header.Get("Retry-After"))
	if err != nil || when.Before(before.Add(2*time.Second)) || when.After(time.Now().Add(4*time.Second)) ||
		res.Header.Get("retry-after-ms") != "" || res.Header.Get("x-should-retry") != "true" {
		t.Fatalf("Retry-After %q (%v, %v), headers %v", res.Header.Get("Retry-After"), when, err, res.Header)
	}
	var body struct {
		Type  string `json:"type"`
		Error struct {
			Type    string `json:"type"`
			Message string `json:"message"`
		} `json:"error"`
		RequestID string `json:"request_id"`
	}
	if err := json.Unmarshal(readAll(t, res.Body), &body); err != nil || body.Type != "error" || body.Error.Type != "api_error" ||
		body.RequestID == "" || body.RequestID != res.Header.Get("request-id") {
		t.Fatalf("Anthropic 503 body %+v, %v", body, err)
	}
}

func TestTruncatedStreamLooksCompleteToTheSDKs(t *testing.T) {
	s, hs := start(t)
	setFault(t, s, control.Fault{Type: control.TypeTruncate, AfterChunks: 3})
	// SDK quirk (REFERENCE.md): openai-go ends a stream that closes without [DONE]
	// with no error, so a cut stream looks complete. Only the end marker tells.
	acc, err := streamOpenAI(context.Background(), openAIClient(hs.URL), chatParams("cut-1"))
	if err != nil {
		t.Fatalf("openai-go reported the cut: %v (the quirk is gone: update REFERENCE.md)", err)
	}
	if _, err := Verify(acc.Choices[0].Message.Content); err == nil || !strings.Contains(err.Error(), "cut short") {
		t.Fatalf("Verify on a truncated stream: %v", err)
	}
	// anthropic-sdk-go behaves the same without message_stop.
	msg, err := streamAnthropic(context.Background(), anthropicClient(hs.URL), messageParams("cut-2"))
	if err != nil {
		t.Fatalf("anthropic-sdk-go reported the cut: %v", err)
	}
	if _, err := Verify(text(msg)); err == nil || ServedBy(text(msg)) != "primary" {
		t.Fatalf("Verify on a truncated Anthropic stream: %v (text %q)", err, text(msg))
	}
	for _, a := range waitAttempts(t, s, 2) {
		if !a.Cut || a.Complete || a.Fault != "truncate" || a.Status != 200 || !a.Stream {
			t.Fatalf("attempt %+v", a)
		}
	}
}

func TestAnthropicSDKRetries529AndSurfacesOverloaded(t *testing.T) {
	s, hs := start(t, WithName("secondary"))
	setFault(t, s, control.Fault{Type: control.TypeStatus, Status: 529, RetryAfter: control.Duration(20 * time.Millisecond), RetryAfterAs: control.RetryAfterMs})
	_, err := anthropicClient(hs.URL).Messages.New(context.Background(), messageParams("ov-1"))
	var apiErr *anthropic.Error
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 529 || apiErr.Type() != "overloaded_error" || apiErr.RequestID == "" {
		t.Fatalf("err = %v", err)
	}
	checkRetries(t, waitAttempts(t, s, 3), 3, 15*time.Millisecond)
}

func TestStreamErrorEventSurfacesInBothSDKs(t *testing.T) {
	s, hs := start(t)
	setFault(t, s, control.Fault{Type: control.TypeStreamError, AfterChunks: 2})
	_, err := streamOpenAI(context.Background(), openAIClient(hs.URL), chatParams("se-1"))
	if err == nil || !strings.Contains(err.Error(), "server_error") {
		t.Fatalf("openai-go stream err = %v", err)
	}
	_, err = streamAnthropic(context.Background(), anthropicClient(hs.URL), messageParams("se-2"))
	var apiErr *anthropic.Error
	if !errors.As(err, &apiErr) || apiErr.Type() != "overloaded_error" {
		t.Fatalf("anthropic-sdk-go stream err = %v", err)
	}
	// Not streamed: the provider's failure as a status (no retries here, to stay fast).
	_, err = openAIClient(hs.URL, option.WithMaxRetries(0)).Chat.Completions.New(context.Background(), chatParams("se-3"))
	var oErr *openai.Error
	if !errors.As(err, &oErr) || oErr.StatusCode != 500 {
		t.Fatalf("openai-go whole answer err = %v", err)
	}
	_, err = anthropicClient(hs.URL, aoption.WithMaxRetries(0)).Messages.New(context.Background(), messageParams("se-4"))
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 529 {
		t.Fatalf("anthropic-sdk-go whole answer err = %v", err)
	}
	at := waitAttempts(t, s, 4)
	if !at[0].Cut || !at[1].Cut || at[0].Complete || at[2].Status != 500 || at[3].Status != 529 {
		t.Fatalf("journal %+v", at)
	}
}

func TestHangUntilTheClientGivesUp(t *testing.T) {
	s, hs := start(t)
	id, _ := s.SetFault(control.Fault{Type: control.TypeHang})
	_, err := openAIClient(hs.URL, option.WithRequestTimeout(200*time.Millisecond), option.WithMaxRetries(0)).
		Chat.Completions.New(context.Background(), chatParams("hang-1"))
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v, want a deadline", err)
	}
	if a := waitAttempts(t, s, 1)[0]; a.Status != 0 || !a.Cut || a.Fault != "hang" || a.Bytes != 0 || a.Duration < 150*time.Millisecond {
		t.Fatalf("attempt %+v", a)
	}
	s.ClearFault(id)
	setFault(t, s, control.Fault{Type: control.TypeHang, Hold: control.Duration(50 * time.Millisecond)})
	res := post(t, hs.URL+"/v1/chat/completions", openAIReqBody)
	e := decode(t, string(readAll(t, res.Body)))["error"].(map[string]any)
	if res.StatusCode != 504 || e["type"] != "server_error" {
		t.Fatalf("hold: %d %v", res.StatusCode, e)
	}
}

func TestStallSendsKeepalivesUntilTheClientLeaves(t *testing.T) {
	for _, c := range []struct {
		path, body, keepalive string
		minKeepalives         int
	}{
		{"/v1/chat/completions", `{"model":"m","stream":true,"messages":[{"role":"user","content":"x"}]}`, ": keepalive", 2},
		{"/v1/messages", `{"model":"m","max_tokens":5,"stream":true,"messages":[{"role":"user","content":"x"}]}`, "event: ping", 3}, // one ping belongs to the preamble
	} {
		s, hs := start(t)
		setFault(t, s, control.Fault{Type: control.TypeStall, Keepalive: control.Duration(20 * time.Millisecond)})
		ctx, cancel := context.WithCancel(context.Background())
		req, _ := http.NewRequestWithContext(ctx, http.MethodPost, hs.URL+c.path, strings.NewReader(c.body))
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		r := bufio.NewReader(res.Body)
		tokens, keepalives := 0, 0
		for keepalives < c.minKeepalives {
			line, err := r.ReadString('\n')
			if err != nil {
				t.Fatalf("%s: stream ended during a stall: %v", c.path, err)
			}
			switch {
			case strings.HasPrefix(line, c.keepalive):
				keepalives++
			case strings.Contains(line, `"content":"[llmchaos`) || strings.Contains(line, `"text":"[llmchaos`):
				tokens++
			case strings.Contains(line, "finish_reason\":\"stop") || strings.Contains(line, "message_stop") || strings.Contains(line, "<<end"):
				t.Fatalf("%s: stall sent the end: %s", c.path, line)
			}
		}
		cancel()
		res.Body.Close()
		if tokens != 1 {
			t.Fatalf("%s: %d first tokens before the stall", c.path, tokens)
		}
		if a := waitAttempts(t, s, 1)[0]; !a.Cut || a.Complete || a.Fault != "stall" || a.Status != 200 {
			t.Fatalf("%s: attempt %+v", c.path, a)
		}
	}
}

func TestMalformedChunkIsAnSDKError(t *testing.T) {
	s, hs := start(t)
	setFault(t, s, control.Fault{Type: control.TypeMalformed, AfterChunks: 2})
	if _, err := streamOpenAI(context.Background(), openAIClient(hs.URL), chatParams("mal-1")); err == nil {
		t.Fatal("openai-go took a malformed chunk")
	}
	if _, err := streamAnthropic(context.Background(), anthropicClient(hs.URL), messageParams("mal-2")); err == nil {
		t.Fatal("anthropic-sdk-go took a malformed chunk")
	}
	if _, err := openAIClient(hs.URL, option.WithMaxRetries(0)).Chat.Completions.New(context.Background(), chatParams("mal-3")); err == nil {
		t.Fatal("openai-go took a malformed whole answer")
	}
	for _, a := range waitAttempts(t, s, 3) {
		if a.Complete || a.Fault != "malformed" || a.Status != 200 {
			t.Fatalf("attempt %+v", a)
		}
	}
}

func TestTruncatedWholeAnswerIsAnSDKError(t *testing.T) {
	s, hs := start(t)
	setFault(t, s, control.Fault{Type: control.TypeTruncate})
	if _, err := openAIClient(hs.URL, option.WithMaxRetries(0)).Chat.Completions.New(context.Background(), chatParams("tw-1")); err == nil {
		t.Fatal("openai-go took half a JSON answer")
	}
	if a := waitAttempts(t, s, 1)[0]; !a.Cut || a.Complete {
		t.Fatalf("attempt %+v", a)
	}
}

func TestNoUsageLeavesUsageOut(t *testing.T) {
	s, hs := start(t)
	setFault(t, s, control.Fault{Type: control.TypeNoUsage})
	p := chatParams("nu-1")
	p.StreamOptions = openai.ChatCompletionStreamOptionsParam{IncludeUsage: openai.Bool(true)}
	acc, err := streamOpenAI(context.Background(), openAIClient(hs.URL), p)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Verify(acc.Choices[0].Message.Content); err != nil || acc.Usage.TotalTokens != 0 {
		t.Fatalf("usage %+v, verify %v", acc.Usage, err)
	}
	if a := waitAttempts(t, s, 1)[0]; !a.Complete || a.Fault != "no-usage" {
		t.Fatalf("attempt %+v", a)
	}
}

func TestScopesHitTheRightRequests(t *testing.T) {
	statuses := func(hs string, n int) []int {
		out := make([]int, n)
		for i := range out {
			res := post(t, hs+"/v1/chat/completions", openAIReqBody)
			readAll(t, res.Body)
			out[i] = res.StatusCode
		}
		return out
	}
	s, hs := start(t)
	setFault(t, s, control.Fault{Type: control.TypeStatus, Status: 500, Scope: control.Scope{FirstN: 2}})
	if got := statuses(hs.URL, 4); got[0] != 500 || got[1] != 500 || got[2] != 200 || got[3] != 200 {
		t.Fatalf("first_n 2: %v", got)
	}

	s2, hs2 := start(t)
	scope := control.Scope{Fraction: 0.5, Seed: 7}
	setFault(t, s2, control.Fault{Type: control.TypeStatus, Status: 503, Scope: scope})
	want := control.NewMatcher(scope)
	got := statuses(hs2.URL, 20)
	hits := 0
	for i, st := range got {
		hit := want.Hit()
		if hit {
			hits++
		}
		if (st == 503) != hit {
			t.Fatalf("fraction: request %d got %d, matcher says hit=%v (%v)", i, st, hit, got)
		}
	}
	if hits == 0 || hits == 20 {
		t.Fatalf("fraction 0.5 hit %d of 20: the check cannot tell", hits)
	}
}

func TestBadInputGetsTheProviderErrorShape(t *testing.T) {
	_, hs := start(t, WithMaxBodyBytes(512))
	big := `{"model":"m","messages":[{"role":"user","content":"` + strings.Repeat("x", 1024) + `"}]}`
	for _, c := range []struct {
		path, body string
		status     int
		errType    string
	}{
		{"/v1/chat/completions", `{not json`, 400, "invalid_request_error"},
		{"/v1/chat/completions", `{"messages":[{"role":"user","content":"x"}]}`, 400, "invalid_request_error"},
		{"/v1/chat/completions", `{"model":"m"}`, 400, "invalid_request_error"},
		{"/v1/chat/completions", `{"model":"m","messages":[]}`, 400, "invalid_request_error"},
		{"/v1/chat/completions", `{"model":"m","messages":"x"}`, 400, "invalid_request_error"},
		{"/v1/chat/completions", big, 413, "invalid_request_error"},
		{"/v1/messages", `[]`, 400, "invalid_request_error"},
		{"/v1/messages", `{"model":"m","messages":[{"role":"user","content":"x"}]}`, 400, "invalid_request_error"},
		{"/v1/messages", `{"model":"m","max_tokens":5}`, 400, "invalid_request_error"},
		{"/v1/messages", big, 413, "request_too_large"},
	} {
		res := post(t, hs.URL+c.path, c.body)
		body := readAll(t, res.Body)
		if res.StatusCode != c.status {
			t.Errorf("%s %.40s: status %d, want %d", c.path, c.body, res.StatusCode, c.status)
			continue
		}
		if err := checkErrorShape(c.path, body, res.Header); err != nil {
			t.Errorf("%s %.40s: %v", c.path, c.body, err)
		}
		if typ := errorType(body); typ != c.errType {
			t.Errorf("%s %.40s: error type %q, want %q", c.path, c.body, typ, c.errType)
		}
	}
}

func TestAdminAPISetsFaultsAndServesTheJournal(t *testing.T) {
	_, hs := start(t)
	res := post(t, hs.URL+control.AdminPrefix+"faults", `{"mode":"status","status":429,"retry_after":"1s","first_n":1}`)
	if res.StatusCode != http.StatusCreated {
		t.Fatalf("POST faults: %d %s", res.StatusCode, readAll(t, res.Body))
	}
	if res := post(t, hs.URL+control.AdminPrefix+"faults", `{"mode":"partial-success","reject_fraction":0.5}`); res.StatusCode != 400 {
		t.Fatalf("unsupported mode accepted: %d", res.StatusCode)
	}
	if res := post(t, hs.URL+"/v1/chat/completions", openAIReqBody); res.StatusCode != 429 || res.Header.Get("Retry-After") != "1" {
		t.Fatalf("faulted request: %d", res.StatusCode)
	}
	jr, err := http.Get(hs.URL + control.AdminPrefix + "journal")
	if err != nil {
		t.Fatal(err)
	}
	defer jr.Body.Close()
	var at []control.Attempt
	if err := json.Unmarshal(readAll(t, jr.Body), &at); err != nil || len(at) != 1 || at[0].Status != 429 ||
		at[0].RetryAfter != time.Second || at[0].CorrelationID != "tag-1" {
		t.Fatalf("journal %+v, %v", at, err)
	}
}

// checkErrorShape reports a body that is not the provider's error shape.
func checkErrorShape(path string, body []byte, h http.Header) error {
	if strings.HasSuffix(path, "/messages") {
		var e struct {
			Type  *string `json:"type"`
			Error *struct {
				Type    *string `json:"type"`
				Message *string `json:"message"`
			} `json:"error"`
			RequestID *string `json:"request_id"`
		}
		if err := strictDecode(body, &e); err != nil {
			return err
		}
		if e.Type == nil || *e.Type != "error" || e.Error == nil || e.Error.Type == nil || e.Error.Message == nil ||
			*e.Error.Message == "" || e.RequestID == nil || *e.RequestID != h.Get("request-id") {
			return errors.New("not an Anthropic error: " + string(body))
		}
		return nil
	}
	var e struct {
		Error *struct {
			Message *string         `json:"message"`
			Type    *string         `json:"type"`
			Param   json.RawMessage `json:"param"`
			Code    json.RawMessage `json:"code"`
		} `json:"error"`
	}
	if err := strictDecode(body, &e); err != nil {
		return err
	}
	if e.Error == nil || e.Error.Message == nil || *e.Error.Message == "" || e.Error.Type == nil || e.Error.Param == nil || e.Error.Code == nil {
		return errors.New("not an OpenAI error: " + string(body))
	}
	return nil
}

func strictDecode(body []byte, v any) error {
	dec := json.NewDecoder(strings.NewReader(string(body)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return errors.New("error body " + strconv.Quote(string(body)) + ": " + err.Error())
	}
	return nil
}

func errorType(body []byte) string {
	var e struct {
		Error struct {
			Type string `json:"type"`
		} `json:"error"`
	}
	_ = json.Unmarshal(body, &e)
	return e.Error.Type
}
