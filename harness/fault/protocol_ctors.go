package fault

import (
	"time"

	"github.com/llmchaos/llmchaos/mocks/control"
)

// ProtocolOption adjusts a protocol fault built by Status, RateLimited, and the other constructors.
type ProtocolOption func(*control.Fault)

// WithFraction applies the fault to that share of requests, (0,1], chosen
// deterministically by seed (WithScopeSeed).
func WithFraction(f float64) ProtocolOption { return func(x *control.Fault) { x.Fraction = f } }

// WithFirstN applies the fault to the first n requests after it starts, then to none.
func WithFirstN(n int) ProtocolOption { return func(x *control.Fault) { x.FirstN = n } }

// WithScopeSeed seeds the choice of requests WithFraction makes.
func WithScopeSeed(seed int64) ProtocolOption { return func(x *control.Fault) { x.Seed = seed } }

// WithRetryAfter asks the client to wait d (Retry-After, in whole seconds rounded up).
func WithRetryAfter(d time.Duration) ProtocolOption {
	return func(x *control.Fault) { x.RetryAfter = control.Duration(d) }
}

// WithRetryAfterMs also sends retry-after-ms, as OpenAI does (retry_after_as: ms).
func WithRetryAfterMs() ProtocolOption {
	return func(x *control.Fault) { x.RetryAfterAs = control.RetryAfterMs }
}

// WithRetryAfterDate sends Retry-After as an HTTP date instead of seconds (retry_after_as: date).
func WithRetryAfterDate() ProtocolOption {
	return func(x *control.Fault) { x.RetryAfterAs = control.RetryAfterDate }
}

// WithShouldRetry sends x-should-retry: true or false.
func WithShouldRetry(retry bool) ProtocolOption {
	return func(x *control.Fault) { x.ShouldRetry = &retry }
}

// WithStatus picks the error a StreamError sends inside the stream: the provider's
// error for that status (Bedrock 429: a throttlingException message; OpenAI 429: a
// rate_limit_error data line). Without it the provider's stream failure goes out.
func WithStatus(code int) ProtocolOption { return func(x *control.Fault) { x.Status = code } }

// WithHold bounds a Hang: after d the mock answers 504.
func WithHold(d time.Duration) ProtocolOption {
	return func(x *control.Fault) { x.Hold = control.Duration(d) }
}

// protocol applies opts to f. A status fault scoped to a share of requests
// (WithFraction, WithFirstN) is a partial-errors fault.
func protocol(f control.Fault, opts []ProtocolOption) *Protocol {
	for _, o := range opts {
		o(&f)
	}
	if f.Type == control.TypeStatus && (f.Fraction > 0 || f.FirstN > 0) {
		f.Type = control.TypePartialErrors
	}
	return &Protocol{Fault: f}
}

// Status answers every request (or a share, WithFraction: kind "partial-errors") with
// the HTTP status code and the provider's error body. Kind "status".
func Status(code int, opts ...ProtocolOption) *Protocol {
	return protocol(control.Fault{Type: control.TypeStatus, Status: code}, opts)
}

// PartialErrors answers frac of requests with code and serves the rest: an error rate.
// Kind "partial-errors".
func PartialErrors(frac float64, code int, opts ...ProtocolOption) *Protocol {
	return protocol(control.Fault{Type: control.TypePartialErrors, Status: code, Scope: control.Scope{Fraction: frac}}, opts)
}

// RateLimited answers 429 asking the client to retry after retryAfter (0: no Retry-After).
// Kind "rate-limit".
func RateLimited(retryAfter time.Duration, opts ...ProtocolOption) *Protocol {
	return protocol(control.Fault{Type: control.TypeRateLimit, RetryAfter: control.Duration(retryAfter)}, opts)
}

// Overloaded answers 529 overloaded_error (Anthropic's overload). Kind "overloaded".
func Overloaded(opts ...ProtocolOption) *Protocol {
	return protocol(control.Fault{Type: control.TypeOverloaded}, opts)
}

// StreamError answers 200, streams afterChunks chunks, then an error event and closes.
// Kind "stream-error".
func StreamError(afterChunks int, opts ...ProtocolOption) *Protocol {
	return protocol(control.Fault{Type: control.TypeStreamError, AfterChunks: afterChunks}, opts)
}

// Truncate streams afterChunks chunks and closes cleanly without the end marker or
// [DONE]/message_stop. Kind "truncate".
func Truncate(afterChunks int, opts ...ProtocolOption) *Protocol {
	return protocol(control.Fault{Type: control.TypeTruncate, AfterChunks: afterChunks}, opts)
}

// Stall sends the first token and then nothing (keepalive comments or pings every
// keepalive when > 0) until the client leaves. Kind "stall".
func Stall(keepalive time.Duration, opts ...ProtocolOption) *Protocol {
	return protocol(control.Fault{Type: control.TypeStall, Keepalive: control.Duration(keepalive)}, opts)
}

// Malformed streams afterChunks good chunks, then one that is not valid JSON.
// Kind "malformed".
func Malformed(afterChunks int, opts ...ProtocolOption) *Protocol {
	return protocol(control.Fault{Type: control.TypeMalformed, AfterChunks: afterChunks}, opts)
}

// SlowTokens answers after ttft with perToken between tokens. Kind "slow-tokens".
func SlowTokens(ttft, perToken time.Duration, opts ...ProtocolOption) *Protocol {
	return protocol(control.Fault{Type: control.TypeSlowTokens, TTFT: control.Duration(ttft), TokenDelay: control.Duration(perToken)}, opts)
}

// NoUsage leaves out the usage chunk a streaming client asked for. Kind "no-usage".
func NoUsage(opts ...ProtocolOption) *Protocol {
	return protocol(control.Fault{Type: control.TypeNoUsage}, opts)
}

// Hang reads the request and never answers, until the client leaves (or until WithHold's
// duration, then 504). Kind "hang".
func Hang(opts ...ProtocolOption) *Protocol {
	return protocol(control.Fault{Type: control.TypeHang}, opts)
}

// PartialSuccess (telemetry) accepts exports but rejects frac of their items in the OTLP
// partial_success field. Kind "partial-success".
func PartialSuccess(frac float64, opts ...ProtocolOption) *Protocol {
	return protocol(control.Fault{Type: control.TypePartialSuccess, RejectFraction: frac}, opts)
}

// ToolCallCut cuts a tool call right after its name (control.CutAtName) or halfway
// through its argument JSON (control.CutAtArguments) and closes the stream cleanly; an
// answer without a tool call is cut halfway through its text. Kind "tool-call-cut".
func ToolCallCut(at control.CutAt, opts ...ProtocolOption) *Protocol {
	return protocol(control.Fault{Type: control.TypeToolCallCut, CutAt: at}, opts)
}

// ResponseFailed ends a Responses API stream with response.failed after afterChunks
// chunks (a whole answer: status failed); other surfaces get an in-stream error.
// Kind "response-failed".
func ResponseFailed(afterChunks int, opts ...ProtocolOption) *Protocol {
	return protocol(control.Fault{Type: control.TypeResponseFailed, AfterChunks: afterChunks}, opts)
}

// ResponseIncomplete ends the answer after afterChunks chunks, flagged with reason
// (Responses status incomplete, Chat finish_reason length or content_filter, Anthropic
// stop_reason max_tokens or refusal). Kind "response-incomplete".
func ResponseIncomplete(reason control.IncompleteReason, afterChunks int, opts ...ProtocolOption) *Protocol {
	return protocol(control.Fault{Type: control.TypeResponseIncomplete, Reason: reason, AfterChunks: afterChunks}, opts)
}

// ContentFilter refuses the prompt (control.FilterPrompt: OpenAI/Azure 400
// content_filter) or ends the output as filtered after afterChunks chunks
// (control.FilterOutput: finish_reason content_filter); Anthropic answers
// stop_reason refusal. Kind "content-filter".
func ContentFilter(stage control.FilterStage, afterChunks int, opts ...ProtocolOption) *Protocol {
	return protocol(control.Fault{Type: control.TypeContentFilter, Filtered: stage, AfterChunks: afterChunks}, opts)
}

// ContextLength answers the provider's context-length error (OpenAI 400
// context_length_exceeded, Anthropic 400 prompt is too long). Kind "context-length".
func ContextLength(opts ...ProtocolOption) *Protocol {
	return protocol(control.Fault{Type: control.TypeContextLength}, opts)
}

// InsufficientQuota answers OpenAI's 429 insufficient_quota (Anthropic: 400 credit
// balance too low), which must not be retried; WithShouldRetry(false) also sends
// x-should-retry: false. Kind "insufficient-quota".
func InsufficientQuota(opts ...ProtocolOption) *Protocol {
	return protocol(control.Fault{Type: control.TypeInsufficientQuota}, opts)
}

// InvalidKey answers 401 invalid_api_key (Anthropic authentication_error). Kind "invalid-key".
func InvalidKey(opts ...ProtocolOption) *Protocol {
	return protocol(control.Fault{Type: control.TypeInvalidKey}, opts)
}

// ModelNotFound answers 404 model_not_found (Anthropic not_found_error). Kind "model-not-found".
func ModelNotFound(opts ...ProtocolOption) *Protocol {
	return protocol(control.Fault{Type: control.TypeModelNotFound}, opts)
}

// Quota limits the upstream to requestsPerMinute and tokensPerMinute (0: that one is not
// limited), as an account's rate limits: once the minute's share is spent the mock
// answers 429 with Retry-After, and its rate-limit headers count down. It applies to
// every request (no fraction or first_n). Kind "quota".
func Quota(requestsPerMinute, tokensPerMinute int) *Protocol {
	return &Protocol{Fault: control.Fault{Type: control.TypeQuota, RequestsPerMinute: requestsPerMinute, TokensPerMinute: tokensPerMinute}}
}
