package harness

import (
	"time"

	"github.com/llmchaos/llmchaos/harness/load"
	"github.com/llmchaos/llmchaos/mocks/control"
)

// Result is everything one run recorded: what the driver saw (Samples), what each mock
// saw (Journals), what the timeline did (Events) and what the SUT printed (SUTLog).
// It holds facts only; harness/slo judges them.
type Result struct {
	Scenario string
	Start    time.Time
	End      time.Time
	// Interval is the driver's request interval (1/rate).
	Interval time.Duration
	Phases   []PhaseSpan
	Samples  []load.Sample
	// Journals are keyed by upstream name.
	Journals map[string][]control.Attempt
	// Kinds are the upstreams' kinds, keyed by name.
	Kinds  map[string]UpstreamKind
	Events []Event
	// SUTLog is the tail of the SUT's stdout and stderr, oldest line first.
	SUTLog []string
	// Interrupted is set when the run was stopped before its timeline ended.
	Interrupted bool
}

// PhaseSpan is when a phase actually ran.
type PhaseSpan struct {
	Name  string
	Start time.Time
	End   time.Time
}

// EventKind names what happened on the timeline.
type EventKind string

// The event kinds.
const (
	EventPhaseStart    EventKind = "phase_start"
	EventPhaseEnd      EventKind = "phase_end"
	EventFaultApplied  EventKind = "fault_applied"
	EventFaultReverted EventKind = "fault_reverted"
	EventFaultError    EventKind = "fault_error"
	EventSUTExit       EventKind = "sut_exit"
)

// Event is one thing the timeline did, at the instant it was done.
type Event struct {
	At   time.Time `json:"at"`
	Kind EventKind `json:"kind"`
	// Phase is the phase it belongs to.
	Phase string `json:"phase,omitempty"`
	// FaultID pairs a fault's applied and reverted events.
	FaultID   string `json:"fault_id,omitempty"`
	Upstream  string `json:"upstream,omitempty"`
	FaultKind string `json:"fault_kind,omitempty"`
	// Detail is the fault's description, or the error.
	Detail string `json:"detail,omitempty"`
	// Took is, for a fault's applied and reverted events, how long its Apply (or revert)
	// took to return; At is when it began. The fault took effect on the wire somewhere in
	// [At, At+Took].
	Took time.Duration `json:"took,omitempty"`
}
