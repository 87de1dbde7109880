package load

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/llmchaos/llmchaos/mocks/control"
)

// Protocol is what the driver speaks to the SUT.
type Protocol string

// The driver protocols.
const (
	ProtocolOpenAIChat        Protocol = "openai-chat"
	ProtocolOpenAIResponses   Protocol = "openai-responses"
	ProtocolAnthropicMessages Protocol = "anthropic-messages"
	// ProtocolGemini is the Gemini API's generateContent (streamGenerateContent with
	// alt=sse when Stream); Model is the model of the path.
	ProtocolGemini Protocol = "gemini"
	// ProtocolAzureOpenAI is Azure OpenAI's Chat Completions on the deployment route;
	// Model is the deployment.
	ProtocolAzureOpenAI Protocol = "azure-openai"
	// ProtocolBedrockConverse is Amazon Bedrock's Converse (ConverseStream, the AWS
	// event-stream framing, when Stream); Model is the modelId.
	ProtocolBedrockConverse Protocol = "bedrock-converse"
	ProtocolHTTP            Protocol = "http"
)

// Protocols lists every driver protocol, for messages and docs.
func Protocols() []Protocol {
	return []Protocol{ProtocolOpenAIChat, ProtocolOpenAIResponses, ProtocolAnthropicMessages, ProtocolGemini, ProtocolAzureOpenAI, ProtocolBedrockConverse, ProtocolHTTP}
}

// toolProtocols are the protocols that send tools (Request.Tools).
var toolProtocols = []Protocol{ProtocolOpenAIChat, ProtocolOpenAIResponses, ProtocolAnthropicMessages}

// protocolNames lists the protocols quoted: "openai-chat", ..., "http".
func protocolNames() string {
	var names []string
	for _, p := range Protocols() {
		names = append(names, strconv.Quote(string(p)))
	}
	return strings.Join(names, ", ")
}

// MaxRate is the highest rate a Spec may ask for, in requests per second.
const MaxRate = 1e6

// Spec is the open-loop load the driver sends.
type Spec struct {
	// Rate is requests per second, scheduled at fixed intervals.
	Rate float64
	// Timeout bounds one request from its scheduled time; past it the sample is a
	// timeout. 0 means DefaultRequestTimeout.
	Timeout time.Duration
	// MaxInFlight bounds concurrency; a request that finds no slot is recorded as
	// dropped. 0 means DefaultMaxInFlight.
	MaxInFlight int
	Request     Request
}

// Request is one driver request. Path, Headers and Body are templates (see tmpl.Request).
type Request struct {
	Protocol Protocol
	Method   string
	Path     string
	Stream   bool
	Model    string
	Headers  map[string]string
	// Tools makes an LLM protocol's request an agent's turn: it offers a tool
	// (DriverToolName) and requires a call; the driver checks the call, sends the tool's
	// result in a second request, and the sample is OK only when that final answer is
	// whole (see the package doc).
	Tools bool
	// Body is the body for ProtocolHTTP.
	Body string
	// SuccessStatus lists the statuses ProtocolHTTP counts as success (default: any 2xx);
	// SuccessContains, when set, must appear in the body.
	SuccessStatus   []int
	SuccessContains string
}

// Validate checks s: a positive, finite rate up to MaxRate; no negative timeout or
// concurrency; a method that is an HTTP token (no space, no control character); a known
// protocol; success statuses that are HTTP statuses. The error is a
// *control.FieldError whose Field is the path below the scenario's load key
// ("rate", "request.protocol").
func (s Spec) Validate() error {
	bad := func(field, format string, args ...any) error {
		return &control.FieldError{Field: field, Msg: fmt.Sprintf(format, args...)}
	}
	switch {
	case math.IsNaN(s.Rate) || s.Rate <= 0 || s.Rate > MaxRate:
		return bad("rate", "load rate %v requests/s is not usable: give a rate above 0 and at most %g", s.Rate, MaxRate)
	case s.Timeout < 0:
		return bad("timeout", "load request timeout %v is negative", s.Timeout)
	case s.MaxInFlight < 0:
		return bad("max_in_flight", "load max in flight %d is negative", s.MaxInFlight)
	}
	if m := s.Request.Method; m != "" && !isToken(m) {
		return bad("request.method", "load request method %q is not an HTTP method: one word of letters, digits and !#$%%&'*+-.^_`|~, e.g. POST", m)
	}
	switch p := s.Request.Protocol; {
	case p == "":
		return bad("request.protocol", "load request has no protocol: set it to one of %s", protocolNames())
	case !slices.Contains(Protocols(), p):
		return bad("request.protocol", "unknown load request protocol %q: use one of %s", p, protocolNames())
	}
	if s.Request.Tools && !slices.Contains(toolProtocols, s.Request.Protocol) {
		return bad("request.tools", "tools: true needs %q, %q or %q, not %q", ProtocolOpenAIChat, ProtocolOpenAIResponses, ProtocolAnthropicMessages, s.Request.Protocol)
	}
	for i, st := range s.Request.SuccessStatus {
		if st < 100 || st > 599 {
			return bad(fmt.Sprintf("request.success.status[%d]", i), "load request success status %d is not an HTTP status (100-599)", st)
		}
	}
	return nil
}

// isToken reports whether s is an HTTP token (RFC 9110 section 5.6.2), what a method is.
func isToken(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
		case strings.IndexByte("!#$%&'*+-.^_`|~", c) >= 0:
		default:
			return false
		}
	}
	return s != ""
}
