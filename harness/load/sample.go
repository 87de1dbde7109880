package load

import "time"

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
