package harness

import (
	"net/http"
	"time"

	"github.com/llmchaos/llmchaos/harness/load"
)

// Scenario is the whole description of one run. The YAML loader (package scenarios) and
// the Go DSL both build this model; ValidateScenario checks it.
type Scenario struct {
	Name        string
	Description string
	// Source is where the scenario came from (a file path), for messages.
	Source string
	Labels []string
	// Seed makes mock answers reproducible; 0 means DefaultSeed.
	Seed      int64
	Upstreams []UpstreamSpec
	SUT       SUTSpec
	Load      load.Spec
	Timeline  Timeline
	// SLOs are expressions for harness/slo (e.g. "ttf <= 2s").
	SLOs []string
}

// UpstreamKind is the protocol a mock upstream speaks.
type UpstreamKind string

// The upstream kinds (each has an entry in the kinds table: the mock that serves it and
// the protocol fault modes that mock plays).
const (
	KindOpenAI      UpstreamKind = "openai"       // mocks/llm, OpenAI Chat Completions (and the Responses API)
	KindAnthropic   UpstreamKind = "anthropic"    // mocks/llm, Anthropic Messages
	KindGemini      UpstreamKind = "gemini"       // mocks/llm, Google Gemini generateContent
	KindAzureOpenAI UpstreamKind = "azure-openai" // mocks/llm, Azure OpenAI Chat Completions
	KindBedrock     UpstreamKind = "bedrock"      // mocks/llm, Amazon Bedrock Converse
	KindOTLP        UpstreamKind = "otlp"         // mocks/telemetry
	KindStore       UpstreamKind = "store"        // mocks/store
	// KindTCP is a real service (a Redis, a Postgres, ...) reached at Target
	// ("host:port") through the proxy: network faults only, no mock, no journal.
	KindTCP UpstreamKind = "tcp"
	// KindHTTP is a real HTTP service at Target (a URL) through the proxy: network faults
	// only, no mock, no journal.
	KindHTTP UpstreamKind = "http"
)

// UpstreamSpec names one upstream: a mock and how it answers, or (KindTCP, KindHTTP) a
// real service at Target.
type UpstreamSpec struct {
	Name string
	Kind UpstreamKind
	// Target is where a real service listens: "host:port" for KindTCP, a URL for
	// KindHTTP; $VAR and ${VAR} are replaced from the environment when the run starts
	// (target: $REDIS_ADDR). Mock kinds take none.
	Target string
	// AnswerWords, TTFT and TokenDelay shape LLM answers; zero means the mock's defaults.
	// A Remote mock's answers are shaped by its own flags: they must be zero there.
	AnswerWords int
	TTFT        time.Duration
	TokenDelay  time.Duration
	// Remote is the base URL of a mock already running elsewhere (llmchaos mock llm
	// --listen ..., e.g. http://mocks-primary:8080), answering as Name (its --name). The
	// harness starts no mock for the upstream: it puts the proxy in front of that one,
	// plays protocol faults through its admin API (control.Client) and reads its journal
	// filtered to this run (the run's id is in every correlation id, so several runs can
	// share the mock). "" starts a mock in this process.
	Remote string
	// Listen is a fixed address for the upstream's proxy (host:port, e.g. 0.0.0.0:18080),
	// so an app deployed elsewhere is configured with it once. Only with an external
	// Toxiproxy (WithToxiproxy); "" picks a free loopback port.
	Listen string
}

// SUTSpec says how to start or reach the app under test. Exactly one of Command,
// Handler or (URL alone) is the app; Command, Env and URL are templates (see tmpl.Data).
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
// or, with Path empty, a TCP connect to the SUT's address. Timeout 0 means
// DefaultReadyTimeout.
type ReadySpec struct {
	Path    string
	Timeout time.Duration
}
