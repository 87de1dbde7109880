package slo_test

import (
	"testing"
	"time"

	"github.com/llmchaos/llmchaos/harness/slo"
	"github.com/llmchaos/llmchaos/harness/slo/slotest"
)

// TestServedByIsWhereTheAnswerCame: the requests of the outage's last 800 ms were
// answered by the primary after the outage, in recovery. Served-by per phase and in the
// series places them there, so the outage shows no primary answer; the phase still
// counts them as its OK samples (availability and latency stay with the schedule), and
// ServedByScheduled keeps the schedule's view.
func TestServedByIsWhereTheAnswerCame(t *testing.T) {
	m := slo.Compute(slotest.Simulate(rideOut(800*time.Millisecond, 1)))
	out, _ := m.Phase("outage")
	rec, _ := m.Phase("recovery")
	if len(out.ServedBy) != 0 || out.OK != 8 || out.ServedByScheduled["primary"] != 8 {
		t.Fatalf("outage: served by %v (scheduled view %v), %d OK; want no answer served during it, 8 OK scheduled in it",
			out.ServedBy, out.ServedByScheduled, out.OK)
	}
	if rec.ServedBy["primary"] != 40+8 || rec.ServedByScheduled["primary"] != 40 {
		t.Fatalf("recovery: served by %v (scheduled view %v), want primary 48 (40 of its own, 8 late)", rec.ServedBy, rec.ServedByScheduled)
	}
	if m.Run.ServedBy["primary"] != 20+8+40 {
		t.Fatalf("whole run served by %v, want primary 68", m.Run.ServedBy)
	}
	for _, p := range m.Series {
		if p.T >= 2*time.Second && p.T < 8*time.Second && p.ServedBy["primary"] != 0 {
			t.Fatalf("series point at %v shows primary serving %d during the outage", p.T, p.ServedBy["primary"])
		}
	}
	// The late answers came 8.02s–8.72s (a retry 800 ms after the schedule, 21 ms to
	// answer): 5 in the 8.0s bucket, 3 in the 8.5s one, beside each bucket's own 5.
	if p, q := m.Series[16], m.Series[17]; p.T != 8*time.Second || p.ServedBy["primary"] != 5+5 || p.OK != 5 || q.ServedBy["primary"] != 5+3 {
		t.Fatalf("points at 8s %+v and 8.5s %+v, want primary 10 and 8", p, q)
	}
}

// TestServedByAfterTheRunEndsCountsInTheLastPhase: an answer that came after the last
// phase ended counts in the last phase and the last series point.
func TestServedByAfterTheRunEndsCountsInTheLastPhase(t *testing.T) {
	r := slotest.Simulate(outage(50*time.Millisecond, slotest.App{}))
	last := &r.Samples[len(r.Samples)-1]
	last.SetEnded(r.End.Add(2 * time.Second))
	m := slo.Compute(r)
	if rec, _ := m.Phase("recovery"); rec.ServedBy["primary"] != 80 {
		t.Fatalf("recovery served by %v, want primary 80", rec.ServedBy)
	}
	total := 0
	for _, p := range m.Series {
		total += p.ServedBy["primary"] + p.ServedBy["secondary"]
	}
	if total != 240 {
		t.Fatalf("series served-by sums to %d, want every one of 240 answers", total)
	}
}
