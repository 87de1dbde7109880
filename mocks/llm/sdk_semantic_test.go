package llm

import (
	"context"
	"errors"
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

// The providers' semantic errors as the official SDKs see them: the error each returns,
// and how many attempts it makes (the journal), with the mock's NonRetryable marking.

func TestOpenAISDKSemanticErrors(t *testing.T) {
	no := false
	cases := []struct {
		f                 control.Fault
		status            int
		typ, code, param  string
		msg               string
		attempts          int
		nonRetryable      bool
		minGapBetweenTrys time.Duration
	}{
		{control.Fault{Type: control.TypeContextLength}, 400, "invalid_request_error", "context_length_exceeded", "messages", "maximum context length is 128000 tokens", 1, true, 0},
		{control.Fault{Type: control.TypeContentFilter}, 400, "", "content_filter", "prompt", "content management policy", 1, true, 0},
		{control.Fault{Type: control.TypeInvalidKey}, 401, "invalid_request_error", "invalid_api_key", "", "Incorrect API key provided: sk-llmch***********cret.", 1, true, 0},
		{control.Fault{Type: control.TypeModelNotFound}, 404, "invalid_request_error", "model_not_found", "", "The model `gpt-4o-mini` does not exist", 1, true, 0},
		// openai-go retries every 429 the provider does not mark x-should-retry: false,
		// insufficient_quota included: 3 attempts, each non-retryable in the journal.
		{control.Fault{Type: control.TypeInsufficientQuota}, 429, "insufficient_quota", "insufficient_quota", "", "You exceeded your current quota", 3, true, 300 * time.Millisecond},
		// with x-should-retry: false it stops at one
		{control.Fault{Type: control.TypeInsufficientQuota, ShouldRetry: &no}, 429, "insufficient_quota", "insufficient_quota", "", "You exceeded your current quota", 1, true, 0},
	}
	for i, c := range cases {
		t.Run(strconv.Itoa(i)+"-"+string(c.f.Type), func(t *testing.T) {
			s, hs := start(t)
			setFault(t, s, c.f)
			client := openAIClient(hs.URL, option.WithAPIKey("sk-llmchaos-test-secret"))
			_, err := client.Chat.Completions.New(context.Background(), chatParams("sem-1"))
			var apiErr *openai.Error
			if !errors.As(err, &apiErr) {
				t.Fatalf("err %v, want an *openai.Error", err)
			}
			if apiErr.StatusCode != c.status || apiErr.Type != c.typ || apiErr.Code != c.code || apiErr.Param != c.param || !strings.Contains(apiErr.Message, c.msg) {
				t.Fatalf("error %d type %q code %q param %q message %q", apiErr.StatusCode, apiErr.Type, apiErr.Code, apiErr.Param, apiErr.Message)
			}
			at := waitAttempts(t, s, c.attempts)
			checkRetries(t, at, c.attempts, c.minGapBetweenTrys)
			for _, a := range at {
				if a.NonRetryable != c.nonRetryable || a.Fault != string(c.f.Type) || a.Status != c.status {
					t.Fatalf("attempt %+v", a)
				}
			}
		})
	}
}

func TestAnthropicSDKSemanticErrors(t *testing.T) {
	cases := []struct {
		t       control.FaultType
		status  int
		typ     string
		msg     string
		retries bool
	}{
		{control.TypeContextLength, 400, "invalid_request_error", "prompt is too long: ", false},
		{control.TypeInsufficientQuota, 400, "invalid_request_error", "Your credit balance is too low to access the Anthropic API.", false},
		{control.TypeInvalidKey, 401, "authentication_error", "invalid x-api-key", false},
		{control.TypeModelNotFound, 404, "not_found_error", "model: claude-test", false},
	}
	for _, c := range cases {
		t.Run(string(c.t), func(t *testing.T) {
			s, hs := start(t)
			setFault(t, s, control.Fault{Type: c.t})
			_, err := anthropicClient(hs.URL).Messages.New(context.Background(), messageParams("asem-1"))
			var apiErr *anthropic.Error
			if !errors.As(err, &apiErr) || apiErr.StatusCode != c.status {
				t.Fatalf("err %v", err)
			}
			if body := apiErr.RawJSON(); !strings.Contains(body, `"type":"`+c.typ+`"`) || !strings.Contains(body, c.msg) {
				t.Fatalf("body %s", body)
			}
			at := waitAttempts(t, s, 1)
			if len(at) != 1 || !at[0].NonRetryable {
				t.Fatalf("anthropic-sdk-go retried a %d or the journal missed it: %+v", c.status, at)
			}
		})
	}
}

// TestAnthropicContentFilterIsARefusal: Anthropic has no content-filter error; the
// answer ends with stop_reason refusal (prompt: at once; output: after some text), and
// the SDK reports no error: only the stop reason tells.
func TestAnthropicContentFilterIsARefusal(t *testing.T) {
	for _, f := range []control.Fault{{Type: control.TypeContentFilter}, {Type: control.TypeContentFilter, Filtered: control.FilterOutput, AfterChunks: 3}} {
		s, hs := start(t)
		setFault(t, s, f)
		c := anthropicClient(hs.URL, aoption.WithMaxRetries(0))
		msg, err := streamAnthropic(context.Background(), c, messageParams("refuse"))
		if err != nil || msg.StopReason != anthropic.StopReasonRefusal {
			t.Fatalf("%s: stop %q, err %v", f.Filtered, msg.StopReason, err)
		}
		whole, err := c.Messages.New(context.Background(), messageParams("refuse-2"))
		if err != nil || whole.StopReason != anthropic.StopReasonRefusal {
			t.Fatalf("%s whole: %+v, %v", f.Filtered, whole, err)
		}
		if _, err := Verify(text(msg)); err == nil {
			t.Fatal("a refused answer verifies")
		}
		if a := waitAttempts(t, s, 2); !a[0].Cut || a[0].Complete {
			t.Fatalf("journal %+v", a)
		}
	}
}
