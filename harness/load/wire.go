package load

import (
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/llmchaos/llmchaos/harness/tmpl"
	"github.com/llmchaos/llmchaos/mocks/llm"
)

// How the driver classifies a request (Sample.Outcome):
//
//   - dropped: not sent, MaxInFlight requests were in flight.
//   - conn_error: no response (refused, reset before the status), or the request could not be built.
//   - timeout: the request timeout (from the scheduled time) passed before the answer ended,
//     before or after the status; also requests cut short because Run's ctx was cancelled
//     (Error says "cancelled").
//   - http_error: a status that is not success (2xx; ProtocolHTTP: SuccessStatus), an error
//     frame or event inside a 2xx stream (OpenAI data: {"error":...}, Anthropic event: error,
//     Responses event: error), a Responses answer with status failed (response.failed), an
//     error object in a 2xx JSON body, or (ProtocolHTTP) a body without SuccessContains.
//   - ended_early: 2xx and the response said the answer ended before it was whole:
//     finish_reason length or content_filter, stop_reason max_tokens or refusal, Responses
//     status incomplete. Not a silent truncation: the app told the client.
//   - malformed: 2xx but the body, a stream line or a frame did not parse, or a frame is not
//     what the protocol sends (not a chat.completion.chunk; an event before message_start
//     or response.created), or text where a tool call was required.
//   - incomplete: 2xx and parsed but the stream ended without data: [DONE] / message_stop /
//     a Responses terminal event, the connection broke after the status, or the text holds
//     no mock answer at all.
//   - truncated: 2xx and the response claimed to be whole ([DONE], message_stop,
//     response.completed, a complete JSON body) but the mock answer in it fails llm.Verify
//     (no end marker: cut; bad checksum: altered), or a tool call's arguments fail
//     llm.VerifyToolCall. This is the silent truncation an app must never produce.
//     ProtocolHTTP checks the answer only when the body holds one (llm.ServedBy finds a head).
//   - ok: everything else: a whole, verified answer (ProtocolHTTP: success status and rules).
//
// ServedBy is llm.ServedBy of the answer text gathered, even when it was cut (else the
// upstream a tool call's proof names).

// wireProtocol is how the driver speaks one Request.Protocol: the request it sends
// and how it judges a response.
type wireProtocol interface {
	// defaults are the method and path used when the Request leaves them empty.
	defaults() (method, path string)
	// body returns the request body for the request with this template data (nil: none),
	// and the headers the protocol always sends.
	body(data *tmpl.Request) ([]byte, http.Header, error)
	// success reports whether status is a success status (else: OutcomeHTTPError).
	success(status int) bool
	// decode reads a success response's body and judges it; a stream calls mark when its
	// first content token (or tool call) arrives (time to first token). turn is 0 for
	// the request, 1 for a tool-calling request's follow-up (which must answer text).
	decode(body io.Reader, mark func(), turn int) protoDecoded
}

// protoDecoded is what a protocol learnt from a success response's body.
type protoDecoded struct {
	// text is the answer text gathered, even when cut (for ServedBy).
	text string
	// outcome is OutcomeOK, OutcomeIncomplete, OutcomeMalformed or OutcomeHTTPError (an
	// error event inside a 2xx stream); unset when readErr is set.
	outcome Outcome
	// detail says why the outcome is not OK.
	detail string
	// readErr is set when reading the body failed (the driver classifies it: timeout,
	// run stopped, or a connection broken after the status: incomplete).
	readErr error
	// calls are the tool calls the answer made, even when cut.
	calls []toolCallSeen
}

// DefaultMaxBodyBytes is the most of a response body the driver reads; a larger body is malformed.
const DefaultMaxBodyBytes = 16 << 20

// newWireProtocol returns the protocol for a validated spec (see Spec.Validate).
func newWireProtocol(spec Request, prompt string) (wireProtocol, error) {
	switch spec.Protocol {
	case ProtocolOpenAIChat:
		return &openAIChat{model: protoOrDefault(spec.Model, DefaultOpenAIModel), stream: spec.Stream, prompt: prompt, tools: spec.Tools}, nil
	case ProtocolOpenAIResponses:
		return &openAIResponses{model: protoOrDefault(spec.Model, DefaultOpenAIModel), stream: spec.Stream, prompt: prompt, tools: spec.Tools}, nil
	case ProtocolAzureOpenAI:
		return &openAIChat{model: protoOrDefault(spec.Model, DefaultOpenAIModel), stream: spec.Stream, prompt: prompt, azure: true}, nil
	case ProtocolGemini:
		return &gemini{model: protoOrDefault(spec.Model, DefaultGeminiModel), stream: spec.Stream, prompt: prompt}, nil
	case ProtocolBedrockConverse:
		return &bedrockConverse{model: protoOrDefault(spec.Model, DefaultBedrockModel), stream: spec.Stream, prompt: prompt}, nil
	case ProtocolAnthropicMessages:
		return &anthropicMessages{model: protoOrDefault(spec.Model, DefaultAnthropicModel), stream: spec.Stream, prompt: prompt, maxTokens: DefaultMaxTokens, tools: spec.Tools}, nil
	case ProtocolHTTP:
		return newHTTPProtocol(spec)
	default: // Spec.Validate lets no other through
		return nil, fmt.Errorf("no wire protocol %q", spec.Protocol)
	}
}

func protoOrDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// is2xx reports whether status is 2xx.
func protoIs2xx(status int) bool { return status >= 200 && status < 300 }

// protoVerify judges an answer whose response claimed to be whole ([DONE], message_stop,
// a complete JSON body): OK if llm.Verify passes; truncated (a silent truncation) if it
// holds a mock answer that is cut or altered; incomplete if it holds no mock answer at all.
func protoVerify(text string) protoDecoded {
	if _, err := llm.Verify(text); err != nil {
		if llm.ServedBy(text) != "" {
			return protoDecoded{text: text, outcome: OutcomeTruncated, detail: "claimed complete, but " + err.Error()}
		}
		return protoDecoded{text: text, outcome: OutcomeIncomplete, detail: err.Error()}
	}
	return protoDecoded{text: text, outcome: OutcomeOK}
}

// protoReadBody reads a whole non-stream body; when that fails it returns false and the
// judgement to return instead (a broken read, or a body over DefaultMaxBodyBytes).
func protoReadBody(body io.Reader) ([]byte, protoDecoded, bool) {
	b, tooBig, err := protoReadAll(body, DefaultMaxBodyBytes)
	if err != nil {
		return nil, protoDecoded{text: string(b), readErr: err}, false
	}
	if tooBig {
		return nil, protoDecoded{outcome: OutcomeMalformed, detail: fmt.Sprintf("body larger than %d bytes", DefaultMaxBodyBytes)}, false
	}
	return b, protoDecoded{}, true
}

// readAllLimited reads r up to limit bytes; more is an error.
func protoReadAll(r io.Reader, limit int64) ([]byte, bool, error) {
	b, err := io.ReadAll(io.LimitReader(r, limit+1))
	if int64(len(b)) > limit {
		return b[:limit], true, err
	}
	return b, false, err
}

// userPrompt is the last user message: the prompt and the correlation tag.
func protoPrompt(prompt, id string) string {
	return strings.TrimSpace(prompt + " " + llm.Tag(id))
}

// protoText gathers a stream's answer text and calls mark at its first non-empty piece.
type protoText struct {
	b    strings.Builder
	mark func()
}

func (t *protoText) WriteString(s string) {
	if s != "" && t.b.Len() == 0 && t.mark != nil {
		t.mark()
	}
	t.b.WriteString(s)
}

func (t *protoText) String() string { return t.b.String() }
