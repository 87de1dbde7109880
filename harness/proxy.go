package harness

// Proxy is one Toxiproxy proxy, embedded in-process or on an external server. Both
// implementations pass the same tests.
type Proxy interface {
	// Name is the proxy's name (the upstream's).
	Name() string
	// Listen is the host:port the proxy accepts on.
	Listen() string
	// AddToxic adds t; its Name must be unique on this proxy.
	AddToxic(t Toxic) error
	// RemoveToxic removes the toxic named name.
	RemoveToxic(name string) error
	// SetEnabled stops (false: new connections are refused, open ones closed) or restarts the proxy.
	SetEnabled(enabled bool) error
}

// Toxic is a Toxiproxy toxic as its API describes it. Scenarios never build one by hand:
// the typed network faults (Latency, Blackhole, ...) do.
type Toxic struct {
	Name string `json:"name"`
	// Type is Toxiproxy's toxic type: latency, bandwidth, slow_close, timeout, reset_peer, slicer, limit_data.
	Type string `json:"type"`
	// Stream is "downstream" (toward the client) or "upstream" (toward the mock).
	Stream string `json:"stream"`
	// Toxicity is the share of connections it applies to, (0,1]; decided per connection.
	Toxicity   float32        `json:"toxicity"`
	Attributes map[string]any `json:"attributes"`
}
