package llm

import (
	"net/http"
	"time"

	"github.com/llmchaos/llmchaos/mocks/control"
)

// call is one completion request being answered.
type call struct {
	requestID    string // the request-id / x-request-id header, and Anthropic's error request_id
	messageID    string // chatcmpl-…, msg_…, resp_…
	model        string
	created      int64
	began        time.Time // when the request arrived (Bedrock's latencyMs counts from it)
	includeUsage bool      // OpenAI stream_options.include_usage
	noUsage      bool      // ModeNoUsage: leave usage out
	promptTokens int
	outputTokens int
	prefix       []byte // OpenAI: the chunk head shared by every chunk, up to `"delta":{`

	// The answer: the tokens of a text answer, or the tool calls of a tool-call answer
	// (toks unused then) and their stream pieces.
	toks   []string
	calls  []toolCall
	pieces []piece
	// stop is how the answer ends; a fault may end it early with a reason.
	stop stopReason
	// failed marks a Responses answer that a response-failed fault failed.
	failed bool
	// refused marks an answer that refuses the prompt in-band (a content-filter prompt
	// fault on a provider with no refusal error): Gemini's promptFeedback.
	refused bool

	// Stream state a dialect may keep (the Responses API's sequence numbers, whether its
	// message item is open, and the text and arguments sent so far).
	seq        int
	itemOpen   bool
	text       []byte
	sentTokens int
	args       [][]byte // per tool call: non-nil from its opening to its close (see markOpen)
	sentArgs   []string // per tool call: the arguments its close carried

	// What of the request an answer echoes or depends on.
	stream          bool
	parallel        bool // parallel tool calls allowed, or no tools offered
	maxOutputTokens int
	previousID      string
	noStore         bool
}

// stopReason is how an answer ends.
type stopReason uint8

const (
	// stopDone: the whole answer (stop / end_turn / completed; tool_calls / tool_use
	// for a tool-call answer).
	stopDone stopReason = iota
	// stopLength: cut at the output token limit (length, max_tokens, incomplete
	// max_output_tokens).
	stopLength
	// stopFilter: cut by the content filter (content_filter, refusal, incomplete
	// content_filter).
	stopFilter
)

// dialect is one provider's wire format: how it parses requests and writes answers,
// stream events and errors. Every append method appends to b and returns it. A dialect
// may also speak tool calls (toolDialect), report rate limits (rateLimitDialect) and
// end a stream as failed (failDialect): optional capabilities found by type assertion.
type dialect interface {
	// parse reads a completion request body.
	parse(body []byte) (chatRequest, *apiError)
	// statusError is the provider's error for an HTTP status.
	statusError(status int) apiError
	// providerError is the provider's semantic error for a fault type: context-length,
	// content-filter (the prompt refused), insufficient-quota, invalid-key,
	// model-not-found, and quota (a refusal by the quota, ec.admission).
	providerError(t control.FaultType, ec errorContext) apiError
	// streamFailure is the error a ModeStreamError fault sends: inside a stream as an
	// error event, and as a status answer to a request that did not ask for a stream.
	// status is the fault's Status: the provider's error for it, or (0) the provider's
	// own stream failure.
	streamFailure(status int) apiError
	// setHeaders sets the provider's headers common to every answer.
	setHeaders(h http.Header, requestID string)
	appendError(b []byte, e apiError, requestID string) []byte
	// begin prepares c for the stream append methods below (appendStart to
	// appendStreamError); appendAnswer does not need it.
	begin(c *call)
	// appendAnswer writes a whole answer: toks (c.toks, or a fault's cut of them) or,
	// when c.calls is set, the tool calls; ended as c.stop says.
	appendAnswer(b []byte, c *call, toks []string) []byte
	appendStart(b []byte, c *call) []byte
	appendToken(b []byte, c *call, tok string) []byte
	appendMalformed(b []byte, c *call, tok string) []byte
	// appendEnd closes the stream as c.stop says (for a text answer, the text block or
	// item first; a tool-call answer's calls were closed by appendToolEnd).
	appendEnd(b []byte, c *call) []byte
	// appendStreamError writes e as an error event inside the stream.
	appendStreamError(b []byte, c *call, e apiError) []byte
	appendKeepalive(b []byte) []byte
	appendModels(b []byte, created int64) []byte
}

// toolDialect is a dialect that speaks tool calls (see tools.go). Only for one does the
// mock answer a request that offers tools with tool calls; appendAnswer writes a whole
// tool-call answer from c.calls, and these write a streamed one, piece by piece.
type toolDialect interface {
	dialect
	// appendToolStart opens call i: its id and name (c.calls[i]).
	appendToolStart(b []byte, c *call, i int) []byte
	// appendToolArgs sends a fragment of call i's argument JSON.
	appendToolArgs(b []byte, c *call, i int, frag string) []byte
	// appendToolEnd closes call i (for an answer cut by a fault, with the arguments so far).
	appendToolEnd(b []byte, c *call, i int) []byte
}

// rateLimitDialect is a dialect whose provider reports its rate limits in headers on
// every answer.
type rateLimitDialect interface {
	setRateLimitHeaders(h http.Header, l control.Limits, now time.Time)
}

// failDialect is a dialect with its own way to fail a started stream (the Responses
// API's response.failed); others send their streamFailure as an error event.
type failDialect interface {
	appendFailed(b []byte, c *call) []byte
}

// streamTyper is a dialect whose stream is not server-sent events (Bedrock's binary
// event stream, Gemini's JSON array): the Content-Type its stream goes out with.
type streamTyper interface {
	streamContentType() string
}

// chunkBreaker is a dialect whose stream pieces are not SSE data lines, so
// malformedChunk cannot break them: breakChunk makes the last chunk of b not JSON
// (Bedrock: a frame with right CRCs and half its JSON).
type chunkBreaker interface {
	breakChunk(b []byte) []byte
}

// retryHintDialect is a dialect whose provider says how long to wait its own way:
// Gemini a RetryInfo detail in the error body, Bedrock an x-amz-retry-after header,
// Azure retry-after-ms beside retry-after and the wait in its message. retryHint writes
// f's hint into h or e and returns the delay it asked for (0: none). Others get
// f.SetRetryHeaders.
type retryHintDialect interface {
	retryHint(h http.Header, e *apiError, f control.Fault, now time.Time) time.Duration
}

// errorHeaderer is a dialect whose error answers carry headers that depend on the
// error (Bedrock's x-amzn-ErrorType).
type errorHeaderer interface {
	setErrorHeaders(h http.Header, e apiError)
}

// errorContext is what a provider's semantic error names.
type errorContext struct {
	model        string
	apiKey       string // the key the request sent, for the invalid-key message (masked)
	promptTokens int
	admission    control.Admission // a quota's refusal
}

// dialectFor picks the wire format of a request outside the completion routes (models,
// unknown paths): Anthropic when it sends anthropic-version or x-api-key.
func dialectFor(r *http.Request) dialect {
	if r.Header.Get("anthropic-version") != "" || r.Header.Get("x-api-key") != "" {
		return anthropicDialect{}
	}
	return openAIDialect{}
}
