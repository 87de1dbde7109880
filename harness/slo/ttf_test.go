package slo_test

import (
	"strings"
	"testing"
	"time"

	"github.com/llmchaos/llmchaos/harness/slo"
	"github.com/llmchaos/llmchaos/harness/slo/slotest"
)

// rideOut is a 12 s run at 10 req/s with the primary down for 6 s (2 s–8 s), against an
// app that never fails over and retries the primary times times, every apart.
func rideOut(every time.Duration, times int) slotest.SimSpec {
	return outage(100*time.Millisecond, slotest.App{RetryPrimaryEvery: every, RetryPrimaryTimes: times})
}

// TestTTFNeverForAnAppThatOnlyRidesTheFaultOut is issue 9's case: one provider, one
// retry 800 ms later. Requests scheduled in the fault's last 800 ms succeed only
// because their retry landed after the fault ended, served by the primary: the provider
// recovered, the app did not fail over. Placed by their schedule alone they would read
// "settled at 7.20s, ttf 5.20s".
func TestTTFNeverForAnAppThatOnlyRidesTheFaultOut(t *testing.T) {
	v, err := slo.EvaluateStrings(slotest.Simulate(rideOut(800*time.Millisecond, 1)), []string{"ttf <= 5.5s", "failback <= 3s"})
	if err != nil {
		t.Fatal(err)
	}
	w := v.Metrics.Faults[0]
	if !v.Metrics.TTF.Never || w.Served != 0 || w.Recovered != 8 || w.Failures != 52 || w.RecoveredBy["primary"] != 8 {
		t.Fatalf("ttf %+v, window %+v; want never: 52 failures, 8 answered by primary after the fault, none served through it", v.Metrics.TTF, w)
	}
	wantCheck(t, v.Checks[0], false, "never",
		"fault down on primary 2.00s–8.00s; failures 2.00s–7.10s (52 samples); every success in the window came from primary after the fault ended (8 samples): the provider recovered, the app never served through the fault → ttf never, want <= 5.5s")
	// It never left the primary: there is nothing to fail back from.
	wantCheck(t, v.Checks[1], true, "n/a (never failed over)")
	if !strings.Contains(v.Checks[1].Reason, "the app never failed over") {
		t.Errorf("failback reason %q, want it to say the app never failed over", v.Checks[1].Reason)
	}
}

// TestTTFOfAnAppThatWaitsOutAShortFault: an app that retries for 3 s rides out a 1.5 s
// fault: every request succeeds (availability 1), all of them answered by the primary
// after the fault ended. It did not fail over, and nothing was served while the fault
// was on: ttf never (latency and availability SLOs judge such an app).
func TestTTFOfAnAppThatWaitsOutAShortFault(t *testing.T) {
	spec := outage(100*time.Millisecond, slotest.App{RetryPrimaryEvery: 100 * time.Millisecond, RetryPrimaryTimes: 30})
	spec.Phases[1].Faults[0].Duration = 1500 * time.Millisecond
	m := slo.Compute(slotest.Simulate(spec))
	w := m.Faults[0]
	if !m.TTF.Never || w.Failures != 0 || w.Served != 0 || w.Recovered != 15 {
		t.Fatalf("ttf %+v, window %+v; want never with 15 late answers and no failure", m.TTF, w)
	}
	if out, _ := m.Phase("outage"); out.Availability != 1 {
		t.Fatalf("outage availability %v, want 1", out.Availability)
	}
	if !strings.Contains(w.TTFStory(), "every success in the window came from primary after the fault ended (15 samples)") {
		t.Fatalf("story %q", w.TTFStory())
	}
}

// TestTTFIgnoresLateAnswersOfTheRecoveredProvider: a failover app whose last requests
// of the fault were answered by the recovered primary after it ended still reads its
// failover delay: those answers neither fail nor settle it.
func TestTTFIgnoresLateAnswersOfTheRecoveredProvider(t *testing.T) {
	r := slotest.Simulate(outage(50*time.Millisecond, slotest.App{FailoverDelay: time.Second}))
	late := 0
	for i := range r.Samples {
		s := &r.Samples[i]
		if at := s.Scheduled.Sub(r.Start); at >= 7900*time.Millisecond && at < 8*time.Second {
			s.ServedBy = "primary"
			s.SetEnded(r.Start.Add(8*time.Second + 30*time.Millisecond))
			late++
		}
	}
	m := slo.Compute(r)
	w := m.Faults[0]
	// 1.011s: the settling answer's first token came 11 ms after its schedule.
	if m.TTF.Value != time.Second+11*time.Millisecond || w.Recovered != late || w.RecoveredAfterLast != late || w.SettledOK != 100-late {
		t.Fatalf("ttf %+v, window %+v; want 1.011s with %d late answers set aside", m.TTF, w, late)
	}
}

// TestTTFIsWhenTheSettlingAnswerBegan: a request the driver sent late (scheduled at
// 2.95s, sent at 3.005s) reached an app that had just failed over and was served. By
// its schedule it would settle the SUT 50 ms before the app failed over (ttf 950ms);
// ttf counts to its answer's first token instead, which the app could only send after
// it failed over.
func TestTTFIsWhenTheSettlingAnswerBegan(t *testing.T) {
	r := slotest.Simulate(outage(50*time.Millisecond, slotest.App{FailoverDelay: time.Second}))
	for i := range r.Samples {
		s := &r.Samples[i]
		if s.Scheduled.Sub(r.Start) == 2950*time.Millisecond {
			*s = s.WithTimes(r.Start.Add(3005*time.Millisecond), r.Start.Add(3008*time.Millisecond), r.Start.Add(3020*time.Millisecond))
			s.Outcome, s.Status, s.ServedBy, s.Error = "ok", 200, "secondary", ""
		}
	}
	m := slo.Compute(r)
	if m.TTF.Value != 1008*time.Millisecond || m.Faults[0].SettledAt != 3008*time.Millisecond || m.Faults[0].LastFailure != 2900*time.Millisecond {
		t.Fatalf("ttf %+v settled at %v (last failure %v), want 1.008s at 3.008s", m.TTF, m.Faults[0].SettledAt, m.Faults[0].LastFailure)
	}
}
