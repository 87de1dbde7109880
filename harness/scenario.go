package harness

import (
	"net/http"
	"time"
)

// Scenario is the whole description of one run. The YAML loader (package scenarios) and
// the Go DSL both build this model.
type Scenario struct {
	Name        string
	Description string
	// Source is where the scenario came from (a file path), for messages.
	Source string
	Labels []string
	// Seed makes mock answers and fault scopes reproducible.
	Seed      int64
	Upstreams []UpstreamSpec
	SUT       SUTSpec
	Load      LoadSpec
	Timeline  Timeline
	// SLOs are expressions for harness/slo (e.g. "ttf <= 2s").
	SLOs []string
}

// UpstreamKind is the protocol a mock upstream speaks.
type UpstreamKind string

// The upstream kinds.
const (
	KindOpenAI    UpstreamKind = "openai"    // mocks/llm, OpenAI Chat Completions
	KindAnthropic UpstreamKind = "anthropic" // mocks/llm, Anthropic Messages
	KindOTLP      UpstreamKind = "otlp"      // mocks/telemetry
	KindStore     UpstreamKind = "store"     // mocks/store
)

// UpstreamSpec names one mock upstream and how it answers.
type UpstreamSpec struct {
	Name string
	Kind UpstreamKind
	// AnswerWords, TTFT and TokenDelay shape LLM answers; zero means the mock's defaults.
	AnswerWords int
	TTFT        time.Duration
	TokenDelay  time.Duration
}

// SUTSpec says how to start or reach the app under test. Exactly one of Command,
// Handler or (URL alone) is the app; Command and Env are templates (see TemplateData).
type SUTSpec struct {
	Command []string
	Dir     string
	Env     map[string]string
	// Handler runs the SUT in-process on a loopback listener.
	Handler http.Handler
	// URL is where the driver sends load; a template. Empty with Command or Handler means
	// http://{{ .SUT.Addr }}.
	URL   string
	Ready ReadySpec
}

// ReadySpec is how the harness knows the SUT is up: an HTTP GET on Path answering 2xx,
// or, with Path empty, a TCP connect to the SUT's address.
type ReadySpec struct {
	Path    string
	Timeout time.Duration
}

// Protocol is what the driver speaks to the SUT.
type Protocol string

// The driver protocols.
const (
	ProtocolOpenAIChat        Protocol = "openai-chat"
	ProtocolAnthropicMessages Protocol = "anthropic-messages"
	ProtocolHTTP              Protocol = "http"
)

// LoadSpec is the open-loop load the driver sends.
type LoadSpec struct {
	// Rate is requests per second, scheduled at fixed intervals.
	Rate float64
	// Timeout bounds one request; past it the sample is a timeout.
	Timeout time.Duration
	// MaxInFlight bounds concurrency; a request that finds no slot is recorded as dropped.
	MaxInFlight int
	Request     RequestSpec
}

// RequestSpec is one driver request. Path, Headers and Body are templates.
type RequestSpec struct {
	Protocol Protocol
	Method   string
	Path     string
	Stream   bool
	Model    string
	Headers  map[string]string
	// Body is the body for ProtocolHTTP.
	Body string
	// SuccessStatus lists the statuses ProtocolHTTP counts as success (default: any 2xx);
	// SuccessContains, when set, must appear in the body.
	SuccessStatus   []int
	SuccessContains string
}

// TemplateData is what SUT env, command, URL and request templates see:
// {{ .Upstreams.primary.URL }}, {{ .SUT.Addr }}, {{ .Scenario }}.
type TemplateData struct {
	Scenario  string
	Upstreams map[string]UpstreamInfo
	SUT       SUTInfo
}

// UpstreamInfo is an upstream as templates see it.
type UpstreamInfo struct {
	Name string
	Kind UpstreamKind
	// URL is the proxy's base URL (http://127.0.0.1:PORT): the only way the SUT should reach the mock.
	URL string
}

// SUTInfo is the SUT as templates see it. Addr is a free loopback host:port the harness
// picked for the app to listen on.
type SUTInfo struct {
	Addr string
}
