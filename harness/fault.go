package harness

import "context"

// Fault is something done to an upstream for a while: a network fault through its
// Toxiproxy proxy or a protocol fault through its mock. Apply starts it and returns the
// function that reverts it; the timeline calls that at the phase's end.
type Fault interface {
	// Kind is the fault's type name as scenarios write it ("down", "latency", "status", ...).
	Kind() string
	// String describes the fault with its parameters, for reports ("latency 500ms ±100ms").
	String() string
	// Apply starts the fault on u.
	Apply(ctx context.Context, u *Upstream) (revert func() error, err error)
}
