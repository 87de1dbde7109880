package llm

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/llmchaos/llmchaos/mocks/control"
	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/azure"
	"github.com/openai/openai-go/v3/option"
)

// Azure OpenAI through openai-go's azure package, unmodified: the deployment route
// with api-version, the api-key header, plain http to a loopback endpoint
// (WithUnsafeAllowHTTP, which the package requires for http://).

const azureVersion = "2024-10-21"

func azureClient(url string, opts ...option.RequestOption) *openai.Client {
	c := openai.NewClient(append([]option.RequestOption{
		azure.WithEndpoint(url, azureVersion), azure.WithAPIKey("llmchaos-azure-key"), azure.WithUnsafeAllowHTTP(),
	}, opts...)...)
	return &c
}

func TestAzureSDKWholeAndStreamed(t *testing.T) {
	s, hs := start(t)
	c := azureClient(hs.URL)
	ctx := context.Background()
	p := chatParams("az-1")
	p.Model = "gpt-4o-deployment"
	got, err := c.Chat.Completions.New(ctx, p)
	if err != nil {
		t.Fatal(err)
	}
	if a, err := Verify(got.Choices[0].Message.Content); err != nil || a.ID != "az-1" {
		t.Fatalf("answer %+v %v", a, err)
	}
	raw := got.RawJSON()
	if !strings.Contains(raw, `"prompt_filter_results":[{"prompt_index":0`) || !strings.Contains(raw, `"content_filter_results":{"hate"`) {
		t.Fatalf("no Azure content filter results in %s", raw)
	}
	at := waitAttempts(t, s, 1)[0]
	if at.Path != "/openai/deployments/gpt-4o-deployment/chat/completions" || at.CorrelationID != "az-1" {
		t.Fatalf("journal %+v", at)
	}

	p = chatParams("az-2")
	p.Model = "gpt-4o-deployment"
	p.StreamOptions = openai.ChatCompletionStreamOptionsParam{IncludeUsage: openai.Bool(true)}
	acc, err := streamOpenAI(ctx, c, p)
	if err != nil {
		t.Fatal(err)
	}
	if a, err := Verify(acc.Choices[0].Message.Content); err != nil || a.ID != "az-2" || acc.Choices[0].FinishReason != "stop" || acc.Usage.CompletionTokens == 0 {
		t.Fatalf("streamed %+v %v (finish %q, usage %+v)", a, err, acc.Choices[0].FinishReason, acc.Usage)
	}
}

// TestAzureV1Route: the v1 API (/openai/v1/) with the plain OpenAI client and an api-key header.
func TestAzureV1Route(t *testing.T) {
	s, hs := start(t)
	c := openai.NewClient(option.WithBaseURL(hs.URL+"/openai/v1/"), option.WithHeader("api-key", "k"))
	got, err := c.Chat.Completions.New(context.Background(), chatParams("az-v1"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Verify(got.Choices[0].Message.Content); err != nil || !strings.Contains(got.RawJSON(), "prompt_filter_results") {
		t.Fatalf("v1 answer: %v %s", err, got.RawJSON())
	}
	if at := waitAttempts(t, s, 1)[0]; at.Path != "/openai/v1/chat/completions" {
		t.Fatalf("path %q", at.Path)
	}
}

func TestAzureSDKToolCalls(t *testing.T) {
	_, hs := start(t)
	c := azureClient(hs.URL)
	ctx := context.Background()
	got, err := c.Chat.Completions.New(ctx, chatToolParams("az-tool-1"))
	if err != nil {
		t.Fatal(err)
	}
	tc := got.Choices[0].Message.ToolCalls[0]
	if p, err := VerifyToolCall(tc.Function.Name, tc.Function.Arguments); err != nil || p.ID != "az-tool-1" {
		t.Fatalf("arguments %q: %+v %v", tc.Function.Arguments, p, err)
	}
	acc, err := streamOpenAI(ctx, c, chatToolParams("az-tool-2"))
	if err != nil {
		t.Fatal(err)
	}
	tc = acc.Choices[0].Message.ToolCalls[0]
	if p, err := VerifyToolCall(tc.Function.Name, tc.Function.Arguments); err != nil || p.ID != "az-tool-2" || acc.Choices[0].FinishReason != "tool_calls" {
		t.Fatalf("streamed arguments %q: %+v %v", tc.Function.Arguments, p, err)
	}
}

// TestAzureSDKRetries: openai-go (2 retries by default) retries Azure's 429 and 503,
// waiting the retry-after-ms Azure sends (700 ms here, above its own 0.5 s first
// backoff); a 400 content_filter is not retried.
func TestAzureSDKRetries(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		name     string
		fault    control.Fault
		attempts int
		minGap   time.Duration
		status   int // the error status the call ends with, 0 for success
		code     string
	}{
		{"429 retry-after-ms 700", control.Fault{Type: control.TypeRateLimit, RetryAfter: control.Duration(700 * time.Millisecond), Scope: control.Scope{FirstN: 2}}, 3, 700 * time.Millisecond, 0, ""},
		{"503 every time", control.Fault{Type: control.TypeOverloaded, RetryAfter: control.Duration(100 * time.Millisecond)}, 3, 100 * time.Millisecond, 503, "ServiceUnavailable"},
		{"400 content filter", control.Fault{Type: control.TypeContentFilter}, 1, 0, 400, "content_filter"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, hs := start(t)
			setFault(t, s, tc.fault)
			_, err := azureClient(hs.URL).Chat.Completions.New(ctx, chatParams("az-retry"))
			var apiErr *openai.Error
			switch {
			case tc.status == 0 && err != nil:
				t.Fatalf("the SDK gave up: %v", err)
			case tc.status != 0 && (!errors.As(err, &apiErr) || apiErr.StatusCode != tc.status || apiErr.Code != tc.code):
				t.Fatalf("error %v, want %d %s", err, tc.status, tc.code)
			}
			at := waitAttempts(t, s, tc.attempts)
			if len(at) != tc.attempts {
				t.Fatalf("%d attempts, want %d", len(at), tc.attempts)
			}
			for i := 1; i < len(at); i++ {
				if gap := at[i].Arrived.Sub(at[i-1].Arrived); gap < tc.minGap {
					t.Errorf("attempt %d came %v after the one before, want at least %v", i+1, gap, tc.minGap)
				}
			}
		})
	}
}

// TestAzureRateLimitAnswer: Azure's 429 body, retry-after and retry-after-ms, the
// rate-limit headers it sends.
func TestAzureRateLimitAnswer(t *testing.T) {
	s, hs := start(t)
	setFault(t, s, control.Fault{Type: control.TypeRateLimit, RetryAfter: control.Duration(6 * time.Second)})
	res := post(t, hs.URL+"/openai/deployments/d/chat/completions?api-version="+azureVersion, `{"messages":[{"role":"user","content":"hi"}]}`, "api-key", "k")
	body := string(readAll(t, res.Body))
	if res.StatusCode != http.StatusTooManyRequests || res.Header.Get("Retry-After") != "6" || res.Header.Get("Retry-After-Ms") != "6000" {
		t.Fatalf("%d, headers %v", res.StatusCode, res.Header)
	}
	want := `{"error":{"code":"429","message":"Requests to the ChatCompletions_Create Operation under Azure OpenAI API version ` + azureVersion + ` have exceeded call rate limit of your current OpenAI S0 pricing tier. Please retry after 6 seconds.`
	if !strings.HasPrefix(body, want) || res.Header.Get("X-Ratelimit-Remaining-Requests") == "" {
		t.Fatalf("body %s, headers %v", body, res.Header)
	}
	res = post(t, hs.URL+"/openai/deployments/d/chat/completions", `{"messages":[{"role":"user","content":"hi"}]}`)
	if res.StatusCode != http.StatusNotFound || !strings.Contains(string(readAll(t, res.Body)), "Resource not found") {
		t.Fatalf("no api-version: %d", res.StatusCode)
	}
}

// TestAzureSDKStreamFaults: a content filter that trips on the output ends the stream
// with finish_reason content_filter (no error: the app must read it); an error inside
// the stream is stream.Err(); a cut stream ends with no error at all.
func TestAzureSDKStreamFaults(t *testing.T) {
	ctx := context.Background()
	s, hs := start(t)
	c := azureClient(hs.URL)
	setFault(t, s, control.Fault{Type: control.TypeContentFilter, Filtered: control.FilterOutput, AfterChunks: 3})
	acc, err := streamOpenAI(ctx, c, chatParams("az-cf"))
	if err != nil || acc.Choices[0].FinishReason != "content_filter" {
		t.Fatalf("filtered output: %v, finish %q", err, acc.Choices[0].FinishReason)
	}
	s.ClearFaults()
	setFault(t, s, control.Fault{Type: control.TypeStreamError, AfterChunks: 3})
	if _, err := streamOpenAI(ctx, c, chatParams("az-err")); err == nil {
		t.Fatal("an error inside the stream: stream.Err() is nil")
	}
	s.ClearFaults()
	setFault(t, s, control.Fault{Type: control.TypeTruncate, AfterChunks: 3})
	acc, err = streamOpenAI(ctx, c, chatParams("az-cut"))
	if err != nil {
		t.Fatalf("a cut stream: %v: want no error (openai-go ends it silently)", err)
	}
	if _, verr := Verify(acc.Choices[0].Message.Content); verr == nil {
		t.Fatal("a cut stream verified")
	}
}
