package load

import (
	"encoding/json"
	"testing"
	"time"
)

// TestSampleInstantsRoundTrip: the compact instants read back what was set (before, at and
// after Scheduled; unset stays zero), latency and TTFT follow them, and JSON keeps them.
func TestSampleInstantsRoundTrip(t *testing.T) {
	at := time.Now()
	s := Sample{Seq: 1, ID: "x-1", Scheduled: at, Outcome: OutcomeOK}
	if !s.Started().IsZero() || !s.FirstToken().IsZero() || !s.Ended().IsZero() {
		t.Fatalf("a new sample has instants: %v %v %v", s.Started(), s.FirstToken(), s.Ended())
	}
	if _, ok := s.TTFT(); ok {
		t.Fatal("TTFT without a first token")
	}
	for _, d := range []time.Duration{-3 * time.Millisecond, 0, 1, 1500 * time.Millisecond} {
		s = s.WithTimes(at.Add(d), at.Add(d+time.Millisecond), at.Add(d+2*time.Millisecond))
		if !s.Started().Equal(at.Add(d)) || !s.FirstToken().Equal(at.Add(d+time.Millisecond)) || !s.Ended().Equal(at.Add(d+2*time.Millisecond)) {
			t.Fatalf("offset %v: got %v %v %v", d, s.Started().Sub(at), s.FirstToken().Sub(at), s.Ended().Sub(at))
		}
		if ttft, ok := s.TTFT(); !ok || ttft != d+time.Millisecond || s.Latency() != d+2*time.Millisecond {
			t.Fatalf("offset %v: ttft %v %v latency %v", d, ttft, ok, s.Latency())
		}
	}
	b, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	var back Sample
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if back.ID != s.ID || !back.Ended().Equal(s.Ended()) || !back.Started().Equal(s.Started()) || back.Outcome != s.Outcome {
		t.Fatalf("JSON round trip: %s -> %+v", b, back)
	}
	if sampleSize > 160 {
		t.Fatalf("Sample is %d bytes: keep it compact (a run keeps millions)", sampleSize)
	}
}
