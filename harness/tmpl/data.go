package tmpl

// Data is what SUT env, command and URL templates see, and what request templates see
// through Request: {{ .Upstreams.primary.URL }}, {{ .SUT.Addr }}, {{ .Scenario }}.
type Data struct {
	Scenario  string
	Upstreams map[string]Upstream
	SUT       SUT
}

// Upstream is an upstream as templates see it.
type Upstream struct {
	Name string
	// Kind is the upstream's kind ("openai", "otlp", ...).
	Kind string
	// URL is the proxy's base URL (http://127.0.0.1:PORT; tcp://127.0.0.1:PORT for a
	// tcp upstream): the only way the SUT should reach the upstream.
	URL string
	// Addr is the proxy's host:port (for clients that take an address, like a Redis client).
	Addr string
}

// SUT is the app under test as templates see it. Addr is a free loopback host:port the
// harness picked for the app to listen on.
type SUT struct {
	Addr string
}

// Request is what the driver's request templates (path, headers and body) see: the
// run's Data plus this request's correlation ID and sequence number, so a template can
// say {{ .ID }}, {{ .Seq }} or {{ .Upstreams.primary.URL }}.
type Request struct {
	Data
	// ID is the request's correlation id (also sent as X-Request-Id).
	ID string
	// Seq is the request's index in the schedule, from 0.
	Seq int
}
