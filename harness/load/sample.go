package load

import (
	"encoding/json"
	"time"
	"unsafe"
)

// Outcome classifies a sample.
type Outcome string

// The outcomes. Only OutcomeOK counts as available.
const (
	OutcomeOK         Outcome = "ok"          // 2xx, parsed, whole answer up to the end marker
	OutcomeHTTPError  Outcome = "http_error"  // a non-success status
	OutcomeTimeout    Outcome = "timeout"     // the driver's request timeout passed
	OutcomeConnError  Outcome = "conn_error"  // could not connect, or the connection broke before a status
	OutcomeIncomplete Outcome = "incomplete"  // 2xx but cut: no [DONE]/message_stop, the connection broke, or no mock answer
	OutcomeTruncated  Outcome = "truncated"   // 2xx and claimed complete ([DONE], message_stop, a whole body), but the answer was cut or altered: a silent truncation
	OutcomeMalformed  Outcome = "malformed"   // 2xx but the body or a stream frame did not parse, or not the answer asked for (text when a tool call was required)
	OutcomeEndedEarly Outcome = "ended_early" // 2xx, and the response said the answer ended early (finish_reason length or content_filter, stop_reason max_tokens or refusal, Responses status incomplete): honest, but not the whole answer
	OutcomeDropped    Outcome = "dropped"     // never sent: MaxInFlight was reached
)

// Sample is one driver request. It is kept compact, because a run keeps every sample in
// memory until it ends (harness.DefaultMaxSamples of them at most): the instants after
// Scheduled are stored as offsets from it (8 bytes where a time.Time takes 24), read with
// Started, FirstToken and Ended and set with SetStarted, SetFirstToken, SetEnded or
// WithTimes, always after Scheduled; and a Recorder keeps one copy of each repeated string
// (phase, served-by, error). A recorded sample takes under 200 bytes with its id
// (BenchmarkSampleFootprint).
type Sample struct {
	Seq int
	// ID is the correlation id the request carried.
	ID    string
	Phase string
	// Scheduled is when the open-loop schedule said to send it; latency counts from here.
	Scheduled time.Time
	// started, firstToken and ended are offsets after Scheduled (see offset).
	started, firstToken, ended offset
	Status                     int
	Outcome                    Outcome
	// ServedBy is the upstream named in the answer ("" if none could be read).
	ServedBy string
	Bytes    int64
	Error    string
	// Turns is how many requests the sample sent to the SUT: 2 for a tool-calling
	// request whose tool call was followed up with the tool's result, else 1 (0 when
	// none was sent: dropped, or not built).
	Turns uint8
	// ToolCalls counts the tool calls of the first turn's answer (at most 255).
	ToolCalls uint8
}

// sampleSize is a Sample's own size in memory, its strings' bytes apart.
const sampleSize = unsafe.Sizeof(Sample{})

// offset is an instant as its distance from the sample's Scheduled, with 0 meaning
// "did not happen": a distance d >= 0 is stored as d+1, a negative one as itself.
type offset int64

func offsetOf(t, from time.Time) offset {
	if t.IsZero() {
		return 0
	}
	d := t.Sub(from)
	if d >= 0 {
		return offset(d + 1)
	}
	return offset(d)
}

func (o offset) at(from time.Time) time.Time {
	switch {
	case o == 0:
		return time.Time{}
	case o > 0:
		return from.Add(time.Duration(o - 1))
	}
	return from.Add(time.Duration(o))
}

// Started is when the request was actually sent; zero if it never was (dropped).
func (s Sample) Started() time.Time { return s.started.at(s.Scheduled) }

// FirstToken is when the first token of the answer arrived: the first non-empty content
// delta of a stream (a role chunk or a ping does not count), or the first body byte of a
// non-stream answer. Zero if none did.
func (s Sample) FirstToken() time.Time { return s.firstToken.at(s.Scheduled) }

// Ended is when the request ended (the answer was read, failed or timed out).
func (s Sample) Ended() time.Time { return s.ended.at(s.Scheduled) }

// SetStarted sets Started (the zero time unsets it). Set Scheduled first.
func (s *Sample) SetStarted(t time.Time) { s.started = offsetOf(t, s.Scheduled) }

// SetFirstToken sets FirstToken (the zero time unsets it). Set Scheduled first.
func (s *Sample) SetFirstToken(t time.Time) { s.firstToken = offsetOf(t, s.Scheduled) }

// SetEnded sets Ended (the zero time unsets it). Set Scheduled first.
func (s *Sample) SetEnded(t time.Time) { s.ended = offsetOf(t, s.Scheduled) }

// WithTimes returns a copy of s with Started, FirstToken and Ended set (zero times unset
// them): load.Sample{Scheduled: at, ...}.WithTimes(at, at.Add(5*time.Millisecond), at.Add(10*time.Millisecond)).
func (s Sample) WithTimes(started, firstToken, ended time.Time) Sample {
	s.SetStarted(started)
	s.SetFirstToken(firstToken)
	s.SetEnded(ended)
	return s
}

// OK reports whether the sample counts as available.
func (s Sample) OK() bool { return s.Outcome == OutcomeOK }

// Latency is Ended - Scheduled.
func (s Sample) Latency() time.Duration { return s.Ended().Sub(s.Scheduled) }

// TTFT is FirstToken - Scheduled, and false when no token arrived.
func (s Sample) TTFT() (time.Duration, bool) {
	if s.firstToken == 0 {
		return 0, false
	}
	return s.FirstToken().Sub(s.Scheduled), true
}

// sampleJSON is a Sample's JSON shape, with its instants as times.
type sampleJSON struct {
	Seq        int       `json:"seq"`
	ID         string    `json:"id"`
	Phase      string    `json:"phase"`
	Scheduled  time.Time `json:"scheduled"`
	Started    time.Time `json:"started"`
	FirstToken time.Time `json:"first_token"`
	Ended      time.Time `json:"ended"`
	Status     int       `json:"status"`
	Outcome    Outcome   `json:"outcome"`
	ServedBy   string    `json:"served_by,omitempty"`
	Bytes      int64     `json:"bytes"`
	Error      string    `json:"error,omitempty"`
	Turns      uint8     `json:"turns,omitempty"`
	ToolCalls  uint8     `json:"tool_calls,omitempty"`
}

// MarshalJSON writes the sample with its instants as times.
func (s Sample) MarshalJSON() ([]byte, error) {
	return json.Marshal(sampleJSON{Seq: s.Seq, ID: s.ID, Phase: s.Phase, Scheduled: s.Scheduled,
		Started: s.Started(), FirstToken: s.FirstToken(), Ended: s.Ended(), Status: s.Status,
		Outcome: s.Outcome, ServedBy: s.ServedBy, Bytes: s.Bytes, Error: s.Error, Turns: s.Turns, ToolCalls: s.ToolCalls})
}

// UnmarshalJSON reads what MarshalJSON writes.
func (s *Sample) UnmarshalJSON(b []byte) error {
	var j sampleJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return err
	}
	*s = Sample{Seq: j.Seq, ID: j.ID, Phase: j.Phase, Scheduled: j.Scheduled, Status: j.Status,
		Outcome: j.Outcome, ServedBy: j.ServedBy, Bytes: j.Bytes, Error: j.Error, Turns: j.Turns, ToolCalls: j.ToolCalls}.WithTimes(j.Started, j.FirstToken, j.Ended)
	return nil
}
