package slo_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/llmchaos/llmchaos/harness"
	"github.com/llmchaos/llmchaos/harness/slo"
)

func TestSilentTruncationsCountsOnlyClaimedCompleteCuts(t *testing.T) {
	start := time.Unix(1000, 0)
	r := &harness.Result{Scenario: "cut", Start: start, End: start.Add(2 * time.Second), Interval: 100 * time.Millisecond,
		Phases: []harness.PhaseSpan{{Name: "steady", Start: start, End: start.Add(2 * time.Second)}}}
	outcomes := []harness.Outcome{harness.OutcomeOK, harness.OutcomeTruncated, harness.OutcomeIncomplete, harness.OutcomeHTTPError, harness.OutcomeTruncated}
	for i, o := range outcomes {
		at := start.Add(time.Duration(i) * 100 * time.Millisecond)
		r.Samples = append(r.Samples, harness.Sample{Seq: i, ID: fmt.Sprintf("c-%d", i), Phase: "steady", Scheduled: at, Started: at, Ended: at.Add(10 * time.Millisecond), Status: 200, Outcome: o, Error: "cut short"})
	}
	v, err := slo.EvaluateStrings(r, []string{"silent_truncations == 0", "silent_truncations(steady) <= 2"})
	if err != nil {
		t.Fatal(err)
	}
	if v.Checks[0].Pass || v.Checks[0].Value != 2 || !strings.Contains(v.Checks[0].Reason, "c-1") {
		t.Fatalf("want 2 silent truncations naming c-1, got %+v", v.Checks[0])
	}
	if !v.Checks[1].Pass {
		t.Fatalf("2 <= 2 should pass: %+v", v.Checks[1])
	}
}

// TestFailbackIsJudgedAtTheEndOfAChainedFault: a fault that goes on across phases (a ramp
// re-applied at each boundary) is one outage for failback: the windows that another
// window on the same upstream follows at once are not judged, the last one is.
func TestFailbackIsJudgedAtTheEndOfAChainedFault(t *testing.T) {
	start := time.Unix(2000, 0)
	iv := 50 * time.Millisecond
	r := &harness.Result{Scenario: "chain", Start: start, End: start.Add(6 * time.Second), Interval: iv,
		Kinds: map[string]harness.UpstreamKind{"primary": harness.KindOpenAI, "secondary": harness.KindAnthropic}}
	span := func(name string, from, to time.Duration) {
		r.Phases = append(r.Phases, harness.PhaseSpan{Name: name, Start: start.Add(from), End: start.Add(to)})
	}
	span("before", 0, time.Second)
	span("a", time.Second, 2*time.Second)
	span("b", 2*time.Second, 3*time.Second)
	span("after", 3*time.Second, 6*time.Second)
	ev := func(kind harness.EventKind, id string, at time.Duration) {
		r.Events = append(r.Events, harness.Event{At: start.Add(at), Kind: kind, FaultID: id, Upstream: "primary", FaultKind: "ramp"})
	}
	ev(harness.EventFaultApplied, "p1.f0", time.Second)
	ev(harness.EventFaultReverted, "p1.f0", 2*time.Second)
	ev(harness.EventFaultApplied, "p2.f0", 2*time.Second)
	ev(harness.EventFaultReverted, "p2.f0", 3*time.Second)
	for i := 0; time.Duration(i)*iv < 6*time.Second; i++ {
		at := time.Duration(i) * iv
		by := "primary"
		if at >= time.Second && at < 3*time.Second+300*time.Millisecond {
			by = "secondary" // on the secondary during the whole chained fault, back 300 ms after
		}
		phase := map[bool]string{true: "before"}[at < time.Second]
		for _, p := range r.Phases {
			if start.Add(at).Sub(p.Start) >= 0 && start.Add(at).Before(p.End) {
				phase = p.Name
			}
		}
		s := start.Add(at)
		r.Samples = append(r.Samples, harness.Sample{Seq: i, ID: fmt.Sprintf("x-%d", i), Phase: phase, Scheduled: s, Started: s,
			FirstToken: s.Add(5 * time.Millisecond), Ended: s.Add(10 * time.Millisecond), Status: 200, Outcome: harness.OutcomeOK, ServedBy: by})
	}
	m := slo.Compute(r)
	if len(m.Faults) != 2 || !m.Faults[0].Failback.None {
		t.Fatalf("the first window of the chain should not be judged: %+v", m.Faults)
	}
	fb := m.Faults[1].Failback
	if fb.Never || fb.None || fb.Value < 250*time.Millisecond || fb.Value > 400*time.Millisecond {
		t.Fatalf("failback of the chain = %+v, want about 300ms", fb)
	}
}
