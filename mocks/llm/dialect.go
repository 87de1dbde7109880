package llm

import "net/http"

// call is one completion request being answered.
type call struct {
	requestID    string // the request-id / x-request-id header, and Anthropic's error request_id
	messageID    string // chatcmpl-… or msg_…
	model        string
	created      int64
	includeUsage bool // OpenAI stream_options.include_usage
	noUsage      bool // ModeNoUsage: leave usage out
	promptTokens int
	outputTokens int
	prefix       []byte // OpenAI: the chunk head shared by every chunk, up to `"delta":{`
}

// dialect is one provider's wire format: how it parses requests and writes answers,
// stream events and errors. Every append method appends to b and returns it.
type dialect interface {
	// parse reads a completion request body.
	parse(body []byte) (chatRequest, *apiError)
	// statusError is the provider's error for an HTTP status.
	statusError(status int) apiError
	// streamFailure is the error a ModeStreamError fault sends: inside a stream as an
	// error event, and as a status answer to a request that did not ask for a stream.
	streamFailure() apiError
	// setHeaders sets the provider's headers common to every answer.
	setHeaders(h http.Header, requestID string)
	appendError(b []byte, e apiError, requestID string) []byte
	// begin prepares c for the stream append methods below (appendStart to
	// appendStreamError); appendAnswer does not need it.
	begin(c *call)
	appendAnswer(b []byte, c *call, toks []string) []byte
	appendStart(b []byte, c *call) []byte
	appendToken(b []byte, c *call, tok string) []byte
	appendMalformed(b []byte, c *call, tok string) []byte
	appendEnd(b []byte, c *call) []byte
	appendStreamError(b []byte, c *call) []byte
	appendKeepalive(b []byte) []byte
	appendModels(b []byte, created int64) []byte
}

// dialectFor picks the wire format of a request outside the two completion routes
// (models, unknown paths): Anthropic when it sends anthropic-version or x-api-key.
func dialectFor(r *http.Request) dialect {
	if r.Header.Get("anthropic-version") != "" || r.Header.Get("x-api-key") != "" {
		return anthropicDialect{}
	}
	return openAIDialect{}
}
