package slo_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/llmchaos/llmchaos/harness"
	"github.com/llmchaos/llmchaos/harness/load"
	"github.com/llmchaos/llmchaos/harness/slo"
)

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
		r.Samples = append(r.Samples, load.Sample{Seq: i, ID: fmt.Sprintf("x-%d", i), Phase: phase, Scheduled: s,
			Status: 200, Outcome: load.OutcomeOK, ServedBy: by}.WithTimes(s, s.Add(5*time.Millisecond), s.Add(10*time.Millisecond)))
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

// TestFailbackSaysWhenTheRecoveryIsTooShort: with fewer samples after the fault than the
// rolling window, failback is never, and the reason says the recovery was too short.
func TestFailbackSaysWhenTheRecoveryIsTooShort(t *testing.T) {
	start := time.Unix(3000, 0)
	iv := 50 * time.Millisecond
	r := &harness.Result{Scenario: "short", Start: start, End: start.Add(2300 * time.Millisecond), Interval: iv,
		Kinds: map[string]harness.UpstreamKind{"primary": harness.KindOpenAI, "secondary": harness.KindAnthropic},
		Phases: []harness.PhaseSpan{
			{Name: "steady", Start: start, End: start.Add(time.Second)},
			{Name: "outage", Start: start.Add(time.Second), End: start.Add(2 * time.Second)},
			{Name: "recovery", Start: start.Add(2 * time.Second), End: start.Add(2300 * time.Millisecond)},
		},
		Events: []harness.Event{
			{At: start.Add(time.Second), Kind: harness.EventFaultApplied, FaultID: "p1.f0", Upstream: "primary", FaultKind: "down"},
			{At: start.Add(2 * time.Second), Kind: harness.EventFaultReverted, FaultID: "p1.f0", Upstream: "primary", FaultKind: "down"},
		}}
	for i := 0; time.Duration(i)*iv < 2300*time.Millisecond; i++ {
		at := time.Duration(i) * iv
		s := start.Add(at)
		phase, by := "steady", "primary"
		switch {
		case at >= 2*time.Second:
			phase = "recovery"
		case at >= time.Second:
			phase, by = "outage", "secondary"
		}
		r.Samples = append(r.Samples, load.Sample{Seq: i, ID: fmt.Sprintf("s-%d", i), Phase: phase, Scheduled: s,
			Status: 200, Outcome: load.OutcomeOK, ServedBy: by}.WithTimes(s, s.Add(5*time.Millisecond), s.Add(10*time.Millisecond)))
	}
	v, err := slo.EvaluateStrings(r, []string{"failback <= 1s"})
	if err != nil {
		t.Fatal(err)
	}
	c := v.Checks[0]
	if c.Pass || !c.Never || !strings.Contains(c.Reason, "too short") {
		t.Fatalf("want a failing never with a too-short reason, got %+v", c)
	}
}
