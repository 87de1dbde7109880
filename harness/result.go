package harness

import (
	"time"

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
	Samples  []Sample
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

// Outcome classifies a sample.
type Outcome string

// The outcomes. Only OutcomeOK counts as available.
const (
	OutcomeOK         Outcome = "ok"         // 2xx, parsed, whole answer up to the end marker
	OutcomeHTTPError  Outcome = "http_error" // a non-success status
	OutcomeTimeout    Outcome = "timeout"    // the driver's request timeout passed
	OutcomeConnError  Outcome = "conn_error" // could not connect, or the connection broke before a status
	OutcomeIncomplete Outcome = "incomplete" // 2xx but cut: no [DONE]/message_stop, the connection broke, or no mock answer
	OutcomeTruncated  Outcome = "truncated"  // 2xx and claimed complete ([DONE], message_stop, a whole body), but the answer was cut or altered: a silent truncation
	OutcomeMalformed  Outcome = "malformed"  // 2xx but the body or a stream frame did not parse
	OutcomeDropped    Outcome = "dropped"    // never sent: MaxInFlight was reached
)

// Sample is one driver request.
type Sample struct {
	Seq int `json:"seq"`
	// ID is the correlation id the request carried.
	ID    string `json:"id"`
	Phase string `json:"phase"`
	// Scheduled is when the open-loop schedule said to send it; latency counts from here.
	Scheduled time.Time `json:"scheduled"`
	Started   time.Time `json:"started"`
	// FirstToken is when the first token of the answer arrived: the first non-empty content
	// delta of a stream (a role chunk or a ping does not count), or the first body byte of a
	// non-stream answer. Zero if none did.
	FirstToken time.Time `json:"first_token"`
	Ended      time.Time `json:"ended"`
	Status     int       `json:"status"`
	Outcome    Outcome   `json:"outcome"`
	// ServedBy is the upstream named in the answer ("" if none could be read).
	ServedBy string `json:"served_by,omitempty"`
	Bytes    int64  `json:"bytes"`
	Error    string `json:"error,omitempty"`
}

// OK reports whether the sample counts as available.
func (s Sample) OK() bool { return s.Outcome == OutcomeOK }

// Latency is Ended - Scheduled.
func (s Sample) Latency() time.Duration { return s.Ended.Sub(s.Scheduled) }

// TTFT is FirstToken - Scheduled, and false when no token arrived.
func (s Sample) TTFT() (time.Duration, bool) {
	if s.FirstToken.IsZero() {
		return 0, false
	}
	return s.FirstToken.Sub(s.Scheduled), true
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
}
