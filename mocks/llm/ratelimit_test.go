package llm

import (
	"context"
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

// fakeClock is a settable clock for the mock.
type fakeClock struct{ t time.Time }

func (c *fakeClock) now() time.Time { return c.t }

// TestRateLimitHeadersOnEveryAnswer: each dialect's headers on a 200, a stream and an
// error answer; the account's remaining counts down by one request per answer.
func TestRateLimitHeadersOnEveryAnswer(t *testing.T) {
	clock := &fakeClock{t: time.Date(2026, 11, 29, 12, 0, 0, 0, time.UTC)}
	_, hs := start(t, WithRateLimits(100, 60000), WithClock(clock.now))
	for i, path := range []string{"/v1/chat/completions", "/v1/responses"} {
		body := openAIReqBody
		if path == "/v1/responses" {
			body = `{"model":"m","input":"hi"}`
		}
		res := post(t, hs.URL+path, body)
		h := res.Header
		if h.Get("x-ratelimit-limit-requests") != "100" || h.Get("x-ratelimit-remaining-requests") != strconv.Itoa(99-i) ||
			h.Get("x-ratelimit-limit-tokens") != "60000" || h.Get("x-ratelimit-reset-requests") != string(appendResetDuration(nil, time.Duration(i+1)*600*time.Millisecond)) {
			t.Fatalf("%s: headers %v", path, h)
		}
		if tok, _ := strconv.Atoi(h.Get("x-ratelimit-remaining-tokens")); tok >= 60000 || tok < 59000 {
			t.Fatalf("%s: remaining tokens %d", path, tok)
		}
	}
	res := post(t, hs.URL+"/v1/messages", anthropicReqBody, "anthropic-version", "2023-06-01")
	h := res.Header
	if h.Get("anthropic-ratelimit-requests-limit") != "100" || h.Get("anthropic-ratelimit-requests-remaining") != "97" ||
		h.Get("anthropic-ratelimit-requests-reset") != "2026-11-29T12:00:02Z" || h.Get("anthropic-ratelimit-input-tokens-limit") != "60000" ||
		h.Get("anthropic-ratelimit-output-tokens-reset") == "" || h.Get("anthropic-ratelimit-tokens-remaining") == "" {
		t.Fatalf("anthropic headers %v", h)
	}
	bad := post(t, hs.URL+"/v1/chat/completions", `{"model":"m"}`)
	if bad.StatusCode != 400 || bad.Header.Get("x-ratelimit-remaining-requests") != "97" {
		t.Fatalf("a bad request: %d, remaining %q (it takes nothing)", bad.StatusCode, bad.Header.Get("x-ratelimit-remaining-requests"))
	}
}

// TestQuotaFaultRefusesNaturally: 2 requests a minute; the third gets the provider's
// 429 with Retry-After and headers at 0, and is admitted again once the bucket refilled.
func TestQuotaFaultRefusesNaturally(t *testing.T) {
	clock := &fakeClock{t: time.Date(2026, 11, 29, 12, 0, 0, 0, time.UTC)}
	s, hs := start(t, WithClock(clock.now))
	setFault(t, s, control.Fault{Type: control.TypeQuota, RequestsPerMinute: 2})
	c := openAIClient(hs.URL, option.WithMaxRetries(0))
	ctx := context.Background()
	for i := 0; i < 2; i++ {
		if _, err := c.Chat.Completions.New(ctx, chatParams("q-"+strconv.Itoa(i))); err != nil {
			t.Fatalf("request %d: %v", i, err)
		}
	}
	var raw *http.Response
	_, err := c.Chat.Completions.New(ctx, chatParams("q-2"), option.WithResponseInto(&raw))
	var apiErr *openai.Error
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 429 || apiErr.Type != "requests" || apiErr.Code != "rate_limit_exceeded" ||
		!strings.Contains(apiErr.Message, "on requests per min (RPM): Limit 2, Used 2, Requested 1. Please try again in 30s.") {
		t.Fatalf("third: %v", err)
	}
	h := apiErr.Response.Header
	if h.Get("Retry-After") != "30" || h.Get("Retry-After-Ms") == "" || h.Get("x-ratelimit-remaining-requests") != "0" || h.Get("x-ratelimit-reset-requests") != "1m0s" {
		t.Fatalf("429 headers %v", h)
	}
	clock.t = clock.t.Add(30 * time.Second)
	if _, err := c.Chat.Completions.New(ctx, chatParams("q-3")); err != nil {
		t.Fatalf("after the refill: %v", err)
	}
	at := waitAttempts(t, s, 4)
	if at[2].Fault != "quota" || at[2].Status != 429 || at[2].RetryAfter != 30*time.Second || at[2].NonRetryable || at[3].Status != 200 || at[3].Fault != "" {
		t.Fatalf("journal %+v", at)
	}
}

// TestQuotaTokensAnthropic: a tokens-per-minute quota refuses on Anthropic with its own
// 429 body and anthropic-ratelimit-* headers; anthropic-sdk-go then honours Retry-After.
func TestQuotaTokensAnthropic(t *testing.T) {
	s, hs := start(t)
	setFault(t, s, control.Fault{Type: control.TypeQuota, TokensPerMinute: 60})
	c := anthropicClient(hs.URL, aoption.WithMaxRetries(0))
	if _, err := c.Messages.New(context.Background(), messageParams("qa-1")); err != nil {
		t.Fatal(err)
	}
	_, err := c.Messages.New(context.Background(), messageParams("qa-2"))
	var apiErr *anthropic.Error
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 429 || !strings.Contains(apiErr.RawJSON(), `"rate_limit_error"`) ||
		!strings.Contains(apiErr.RawJSON(), "of 60 tokens per minute") {
		t.Fatalf("second: %v", err)
	}
	h := apiErr.Response.Header
	if h.Get("Retry-After") == "" || h.Get("anthropic-ratelimit-tokens-limit") != "60" || h.Get("anthropic-ratelimit-requests-limit") != strconv.Itoa(DefaultRequestsPerMinute) {
		t.Fatalf("headers %v", h)
	}
	waitAttempts(t, s, 2)
}

// TestResetDurationIsGoDuration: the reset headers write what Duration.String writes.
func TestResetDurationIsGoDuration(t *testing.T) {
	for _, d := range []time.Duration{0, -time.Second, 400 * time.Microsecond, time.Millisecond, 600 * time.Millisecond,
		time.Second, 1200 * time.Millisecond, 1050 * time.Millisecond, time.Minute, 61*time.Second + 7*time.Millisecond,
		6 * time.Minute, time.Hour, 25*time.Hour + 30*time.Second + 500*time.Millisecond} {
		want := d.Round(time.Millisecond).String()
		if d <= 0 {
			want = "0s"
		}
		if got := string(appendResetDuration(nil, d)); got != want {
			t.Errorf("%v: %q, want %q", d, got, want)
		}
	}
}
