package scenarios

import "gopkg.in/yaml.v3"

// The YAML file's shape. Strict decoding (an unknown field is an error) works on these
// types; leaves that need checking (durations, rates, names) carry their line. Each
// field's doc comment is its description in the JSON Schema (schema/scenario.schema.json,
// generated from these types by TestSchemaIsGenerated; go test ./scenarios -update
// rewrites it).

// yScenario is one scenario file: upstreams behind proxies, the app, the load, a timeline of faults and the SLOs.
type yScenario struct {
	// Name of the scenario: letters, digits, dashes; names the report files.
	Name yString `yaml:"name" jsonschema:"required"`
	// Description says what the scenario models, in a few sentences.
	Description string `yaml:"description"`
	// References cite the public record an incident replay was scaled from.
	References []string `yaml:"references"`
	// Labels pick scenarios: llmchaos run --label headline.
	Labels []string `yaml:"labels"`
	// Seed makes the mocks' answers and fault shares reproducible.
	Seed int64 `yaml:"seed"`
	// Upstreams are the app's dependencies by name (primary, secondary, collector, store), each behind its own proxy.
	Upstreams map[string]yUpstream `yaml:"upstreams" jsonschema:"required"`
	// SUT says how to start or reach the app under test; every string is a Go template that sees .Upstreams.NAME.URL and .SUT.Addr.
	SUT ySUT `yaml:"sut"`
	// Load is the open-loop load the driver sends to the app.
	Load yLoad `yaml:"load" jsonschema:"required"`
	// Replay scales an incident's real clock: phase durations are written in the incident's time.
	Replay *yReplay `yaml:"replay"`
	// Timeline is the ordered phases, each with the faults active in it.
	Timeline []yPhase `yaml:"timeline" jsonschema:"required"`
	// SLO lists the expressions the run is judged by, like "ttf <= 2s" or "availability(outage) >= 0.95".
	SLO []yString `yaml:"slo" jsonschema:"required"`
	// Expect documents, per reference app, the verdict the catalog expects and the SLOs that
	// must be the ones breached. It is read by the catalog suite, not by the harness.
	Expect map[string]yExpect `yaml:"expect"`
}

// yExpect is the verdict a reference app is expected to get.
type yExpect struct {
	// Verdict is pass or fail.
	Verdict yString `yaml:"verdict"`
	// Breached lists the SLO expressions that must be among the breached ones.
	Breached []yString `yaml:"breached"`
	// Why says in a sentence what the app lacks (or has).
	Why string `yaml:"why"`
}

// yUpstream is one dependency of the app behind a Toxiproxy proxy: a mock, or a real service.
type yUpstream struct {
	// Kind is the protocol the upstream's mock speaks, or tcp / http for a real service at target (network faults only).
	Kind yString `yaml:"kind" jsonschema:"required"`
	// Target is where a real service (kind tcp: host:port; kind http: a URL) listens; $VAR reads the environment when the run starts.
	Target yString `yaml:"target"`
	// AnswerWords is the number of words in each LLM answer (LLM kinds).
	AnswerWords int `yaml:"answer_words"`
	// TTFT delays each LLM answer's first token (LLM kinds).
	TTFT yDuration `yaml:"ttft"`
	// TokenDelay is the delay between an LLM answer's tokens (LLM kinds).
	TokenDelay yDuration `yaml:"token_delay"`
	// Remote is the base URL of a mock already running elsewhere (llmchaos mock, e.g. http://mocks:8080): it is driven through its admin API instead of starting one.
	Remote yString `yaml:"remote"`
	// Listen is a fixed address for the upstream's proxy (host:port, e.g. 0.0.0.0:18080); only with an external Toxiproxy (--toxiproxy).
	Listen yString `yaml:"listen"`
}

// ySUT is the system under test: a command to start, or a URL to reach.
type ySUT struct {
	// Command starts the app (in its own process group, killed after the run).
	Command []string `yaml:"command"`
	// Dir is the command's working directory, relative to the scenario file.
	Dir string `yaml:"dir"`
	// Env is added to the app's environment; values are templates, e.g. "{{ .Upstreams.primary.URL }}/v1".
	Env map[string]string `yaml:"env"`
	// URL is where the driver sends load (default http://{{ .SUT.Addr }}).
	URL string `yaml:"url"`
	// Ready says when the app is ready to take load.
	Ready yReady `yaml:"ready"`
}

// yReady is the app's readiness check.
type yReady struct {
	// Path is polled with HTTP GET until it answers 2xx; without it, a TCP connect.
	Path string `yaml:"path"`
	// Timeout bounds the wait for readiness.
	Timeout yDuration `yaml:"timeout"`
}

// yLoad is the driver's open-loop load.
type yLoad struct {
	// Rate is requests per second ("20/s", "600/m" or a number per second), sent whatever the app does.
	Rate yRate `yaml:"rate" jsonschema:"required"`
	// Timeout bounds each request.
	Timeout yDuration `yaml:"timeout"`
	// MaxInFlight bounds the requests open at once.
	MaxInFlight int `yaml:"max_in_flight"`
	// Request is what each request is.
	Request yRequest `yaml:"request" jsonschema:"required"`
}

// yRequest is one driver request.
type yRequest struct {
	// Protocol is the wire format the app speaks to its clients.
	Protocol yString `yaml:"protocol" jsonschema:"required"`
	// Method is the HTTP method (http protocol).
	Method string `yaml:"method"`
	// Path is the request path, e.g. /v1/chat/completions.
	Path string `yaml:"path"`
	// Stream asks for a streamed answer (SSE).
	Stream bool `yaml:"stream"`
	// Tools makes an LLM request an agent's turn: it offers a tool and requires a call, then sends the tool's result in a second request; OK only when that final answer is whole.
	Tools bool `yaml:"tools"`
	// Model is the model name sent in the request.
	Model string `yaml:"model"`
	// Headers are added to each request; values are templates.
	Headers map[string]string `yaml:"headers"`
	// Body is the request body (http protocol); a template.
	Body string `yaml:"body"`
	// Success says which answers count as OK (http protocol).
	Success ySuccess `yaml:"success"`
}

// ySuccess is what makes an http-protocol answer OK.
type ySuccess struct {
	// Status lists the HTTP statuses that count as success.
	Status []int `yaml:"status"`
	// Contains is a string the body must hold.
	Contains string `yaml:"contains"`
}

// yReplay scales an incident's real clock: every Real of the timeline plays in Played.
type yReplay struct {
	// Real is a span of the incident's clock.
	Real yDuration `yaml:"real" jsonschema:"required"`
	// Played is how long Real plays.
	Played yDuration `yaml:"played" jsonschema:"required"`
}

// yPhase is one named stretch of the timeline.
type yPhase struct {
	// Phase names the stretch (steady, outage, recovery, ...); SLOs name it.
	Phase yString `yaml:"phase" jsonschema:"required"`
	// For is how long the phase lasts.
	For yDuration `yaml:"for" jsonschema:"required"`
	// Faults are active during the phase. They are decoded by the fault registry
	// (harness/fault), which knows each type's fields: each is a mapping with upstream,
	// type and that type's fields.
	Faults []yaml.Node `yaml:"faults"`
	// Note is a remark for the reader of the file (what happened then in an incident); not used by the run.
	Note string `yaml:"note"`
}
