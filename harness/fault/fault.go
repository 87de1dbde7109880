package fault

import (
	"context"

	"github.com/llmchaos/llmchaos/mocks/control"
)

// Fault is something done to an upstream for a while: a network fault through its
// Toxiproxy proxy or a protocol fault through its mock. Apply starts it and returns the
// function that reverts it; the timeline calls that at the phase's end.
type Fault interface {
	// Kind is the fault's type name as scenarios write it ("down", "latency", "rate-limit", ...).
	Kind() string
	// String describes the fault with its parameters, for reports ("latency 500ms ±100ms").
	String() string
	// Apply starts the fault on t.
	Apply(ctx context.Context, t *Target) (revert func() error, err error)
}

// Validator is a Fault that can check its own fields. Every built-in type is one;
// Validate reports the first bad field as a *FieldError.
type Validator interface {
	Validate() error
}

// MockPlayed is a Fault that the upstream's mock plays (a protocol fault, or one that
// wraps it): MockModes are the control.Mode values the mock must support.
type MockPlayed interface {
	MockModes() []control.Mode
}

// MockFaulter is a MockPlayed fault that says which protocol faults it sets on the mock
// (Protocol its one, Ramp and Flap the one they move or switch), so a loader can check
// them against the upstream's surface before a run.
type MockFaulter interface {
	MockFaults() []control.Fault
}

// ProtocolFaults lists the protocol faults f sets on a mock (none for a network fault,
// or a fault that does not say).
func ProtocolFaults(f Fault) []control.Fault {
	if m, ok := f.(MockFaulter); ok {
		return m.MockFaults()
	}
	return nil
}

// FieldError is a problem with one field of a fault: Field is its path as YAML and JSON
// write it ("latency", "ramp.from", "flap.period"; "" for the fault as a whole).
type FieldError = control.FieldError

// Validate checks f before it is applied: nil for a fault that is no Validator, else
// its Validate (a *FieldError naming the field for every built-in type).
func Validate(f Fault) error {
	if f == nil {
		return &FieldError{Msg: "no fault: give its type"}
	}
	if v, ok := f.(Validator); ok {
		return v.Validate()
	}
	return nil
}

// Modes lists the mock modes f needs (none for a network fault).
func Modes(f Fault) []control.Mode {
	if m, ok := f.(MockPlayed); ok {
		return m.MockModes()
	}
	return nil
}
