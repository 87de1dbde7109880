package fault

import "github.com/llmchaos/llmchaos/mocks/control"

// Target is what a fault acts on: one upstream, reached through its proxy (network
// faults) and its mock (protocol faults).
type Target struct {
	// Name and Kind name the upstream ("primary", "openai") in messages.
	Name string
	Kind string
	// Proxy is the Toxiproxy proxy in front of the upstream; nil: no network faults.
	Proxy Proxy
	// Mock is the upstream's mock; nil: no protocol faults.
	Mock MockControl
}

// Proxy is the part of a Toxiproxy proxy network faults use.
type Proxy interface {
	// AddToxic adds t; its Name must be unique on this proxy.
	AddToxic(t Toxic) error
	// RemoveToxic removes the toxic named name.
	RemoveToxic(name string) error
	// SetEnabled stops (false: new connections are refused, open ones closed) or restarts the proxy.
	SetEnabled(enabled bool) error
}

// MockControl is the part of a mock protocol faults use (control.Mock has it).
type MockControl interface {
	// SetFault activates f and returns an id to clear it by.
	SetFault(f control.Fault) (string, error)
	// ClearFault removes one fault; false if no such id is active.
	ClearFault(id string) bool
}

// MockRemover is a MockControl whose clearing can fail on the way, like a mock driven
// through its admin API (control.Client): a Protocol fault's revert then returns the
// error instead of leaving the fault on a shared mock unnoticed. An optional capability,
// found by type assertion.
type MockRemover interface {
	// RemoveFault removes the fault with that id; one already gone is not an error.
	RemoveFault(id string) error
}

var _ MockRemover = (*control.Client)(nil)

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
