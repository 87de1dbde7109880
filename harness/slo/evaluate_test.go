package slo_test

import (
	"strings"
	"testing"
	"time"

	"github.com/llmchaos/llmchaos/harness/slo"
	"github.com/llmchaos/llmchaos/harness/slo/slotest"
)

func mustEvaluate(t *testing.T, spec slotest.SimSpec, exprs ...string) slo.Verdict {
	t.Helper()
	v, err := slo.EvaluateStrings(slotest.Simulate(spec), exprs)
	if err != nil {
		t.Fatal(err)
	}
	if len(v.Checks) != len(exprs) {
		t.Fatalf("%d checks for %d SLOs", len(v.Checks), len(exprs))
	}
	return v
}

func wantCheck(t *testing.T, c slo.Check, pass bool, observed string, reason ...string) {
	t.Helper()
	if c.Pass != pass || c.Observed != observed {
		t.Errorf("%s: pass %v observed %q (reason %q), want pass %v observed %q", c.Expr, c.Pass, c.Observed, c.Reason, pass, observed)
	}
	// A passing check carries a reason only to say it was inconclusive or not measured.
	if pass && c.Reason != "" && !(c.Inconclusive && strings.HasPrefix(c.Reason, "inconclusive: ")) && !strings.HasPrefix(c.Observed, "n/a") {
		t.Errorf("%s passed with reason %q", c.Expr, c.Reason)
	}
	for _, r := range reason {
		if !strings.Contains(c.Reason, r) {
			t.Errorf("%s: reason\n  %s\nwant it to contain\n  %s", c.Expr, c.Reason, r)
		}
	}
}

func TestEvaluateFailover(t *testing.T) {
	v := mustEvaluate(t, outage(50*time.Millisecond, slotest.App{FailoverDelay: 2500 * time.Millisecond, FailbackDelay: time.Second}),
		"ttf <= 3s", "ttf <= 2s", "failback <= 2s", "failback < 500ms", "ttf > 1s")
	if v.Pass || v.Scenario != "dropout" || len(v.Breached()) != 2 {
		t.Fatalf("verdict pass %v scenario %q breached %d", v.Pass, v.Scenario, len(v.Breached()))
	}
	wantCheck(t, v.Checks[0], true, "2.51s")
	wantCheck(t, v.Checks[1], false, "2.51s",
		"fault down on primary 2.00s–8.00s; failures 2.00s–4.45s (50 samples); settled at 4.51s (70 OK samples to the fault's end) → ttf 2.51s, want <= 2s")
	if v.Checks[1].Value != 2.511 || v.Checks[1].Never {
		t.Errorf("check value %v never %v", v.Checks[1].Value, v.Checks[1].Never)
	}
	wantCheck(t, v.Checks[2], true, "1.01s")
	wantCheck(t, v.Checks[3], false, "1.01s",
		"fault down on primary ended at 8.00s; traffic back on primary (≥90%) from 9.01s and stayed until 12.00s → failback 1.01s, want < 500ms")
	wantCheck(t, v.Checks[4], true, "2.51s")
}

func TestEvaluateNever(t *testing.T) {
	v := mustEvaluate(t, outage(50*time.Millisecond, slotest.App{NeverFailsOver: true, NeverFailsBack: true}),
		"ttf <= 10s", "ttf > 0s", "failback <= 10s")
	for _, c := range v.Checks {
		if c.Pass || !c.Never || c.Observed != "never" {
			t.Errorf("%s: %+v, want a failed never", c.Expr, c)
		}
	}
	wantCheck(t, v.Checks[0], false, "never",
		"fault down on primary 2.00s–8.00s; failures 2.00s–7.95s (120 samples); never settled: 0 OK samples after the last failure before the fault ended → ttf never")
	wantCheck(t, v.Checks[2], false, "never", "primary's share of served traffic never held ≥90% up to 12.00s; it served 0% of the answers after the fault → failback never")
}

func TestEvaluateWithoutFaultPasses(t *testing.T) {
	v := mustEvaluate(t, slotest.SimSpec{Phases: []slotest.Phase{{Name: "steady", Duration: time.Second}}},
		"ttf <= 1s", "failback <= 1s", "telemetry_resumed == 1", "telemetry_latency_ratio <= 1.1")
	if !v.Pass {
		t.Fatalf("breached %+v", v.Breached())
	}
	wantCheck(t, v.Checks[0], true, "n/a (no fault)")
	wantCheck(t, v.Checks[2], true, "n/a (no collector fault)")
}

func TestEvaluatePhaseMetrics(t *testing.T) {
	v := mustEvaluate(t, outageOf("status", 50*time.Millisecond, slotest.App{FailoverDelay: time.Second, Retries: 1, RetryAfter: 100 * time.Millisecond, IgnoreRetryAfter: true}),
		"availability(outage) >= 0.9",
		"availability(steady) == 100%",
		"availability >= 0.9",
		"p99(latency, steady) <= 10ms",
		"max(latency) <= 1s",
		"p50(ttft, recovery) < 5ms",
		"amplification(outage) <= 1.5",
		"amplification <= 2",
		"retry_after_violations == 0",
		"max_error_burst < 20",
		"max_error_burst_duration <= 1s",
		"availability(nowhere) >= 0.5",
	)
	wantCheck(t, v.Checks[0], false, "0.8333 (100/120)",
		"availability in outage 0.8333 (100/120), want >= 0.9; 20 samples failed (http_error 20), scheduled 2.00s–2.95s")
	wantCheck(t, v.Checks[1], true, "1 (40/40)")
	wantCheck(t, v.Checks[2], true, "0.9167 (220/240)")
	wantCheck(t, v.Checks[3], false, "24ms", "p99 latency in steady 24ms over 40 samples, want <= 10ms; slowest: #")
	wantCheck(t, v.Checks[4], true, "24ms")
	wantCheck(t, v.Checks[5], false, "14ms", "p50 ttft in recovery 14ms over 80 samples, want < 5ms")
	wantCheck(t, v.Checks[6], false, "1.83", "amplification in outage 1.83, want <= 1.5; 220 LLM attempts for 120 requests sent (primary 20, secondary 200)")
	wantCheck(t, v.Checks[7], true, "1.92")
	wantCheck(t, v.Checks[8], false, "220", "retry_after_violations 220, want == 0; primary req-000001 retried at 0.00s, 1ms after the answer, asked 100ms;", "and 217 more")
	wantCheck(t, v.Checks[9], false, "20", "longest error burst 20 samples from 2.00s lasting 955ms")
	wantCheck(t, v.Checks[10], true, "955ms")
	wantCheck(t, v.Checks[11], false, "n/a", `unknown phase "nowhere"; the run's phases are: steady, outage, recovery`)
}

func TestEvaluateTelemetry(t *testing.T) {
	v := mustEvaluate(t, telemetrySpec(slotest.App{TelemetryPenalty: 63 * time.Millisecond, TelemetryNeverResumes: true}),
		"telemetry_latency_ratio <= 1.5", "telemetry_availability >= 99%", "telemetry_resumed == 1", "ttf == 0s")
	wantCheck(t, v.Checks[0], false, "4",
		"telemetry_latency_ratio 4, want <= 1.5; while the collector was faulted: availability 1, p99 84ms over 60 samples; steady state: availability 1, p99 21ms over 80 samples")
	wantCheck(t, v.Checks[1], true, "1")
	wantCheck(t, v.Checks[2], false, "0", "collector faults ended by 5.00s; no export was accepted after that")
	wantCheck(t, v.Checks[3], true, "0s")
	v = mustEvaluate(t, telemetrySpec(slotest.App{}), "telemetry_resumed == 1", "telemetry_latency_ratio <= 1")
	if !v.Pass {
		t.Fatalf("breached %+v", v.Breached())
	}
}

func TestEvaluateStringsRejectsBadSLOs(t *testing.T) {
	_, err := slo.EvaluateStrings(slotest.Simulate(outage(50*time.Millisecond, slotest.App{})), []string{"ttf <= 2s", "ttf == fast"})
	if err == nil || !strings.Contains(err.Error(), `bad value "fast"`) {
		t.Fatalf("err = %v", err)
	}
}

func TestEvaluateNoSLOsPasses(t *testing.T) {
	v := slo.Evaluate(slo.Compute(slotest.Simulate(outage(50*time.Millisecond, slotest.App{NeverFailsOver: true}))), nil)
	if !v.Pass || len(v.Checks) != 0 || !v.Metrics.TTF.Never {
		t.Fatalf("verdict = %+v", v)
	}
}

// TestEvaluateInconclusive: a ratio SLO whose threshold lies inside the ratio's 95%
// Wilson interval is marked inconclusive, passes or fails on the point value all the
// same, and says what to do; more samples make the same SLO conclusive.
func TestEvaluateInconclusive(t *testing.T) {
	spec := outageOf("status", 50*time.Millisecond, slotest.App{FailoverDelay: time.Second})
	v := mustEvaluate(t, spec, "availability(steady) == 100%", "availability(outage) >= 0.9", "availability >= 0.92", "availability(steady) >= 0.99")
	wantCheck(t, v.Checks[0], true, "1 (40/40)",
		"inconclusive: raise the rate or the phase length (95% interval 0.9124–1 over 40 samples holds the threshold 1)")
	wantCheck(t, v.Checks[1], false, "0.8333 (100/120)")
	wantCheck(t, v.Checks[2], false, "0.9167 (220/240)",
		"want >= 0.92; 20 samples failed (http_error 20), scheduled 2.00s–2.95s; inconclusive: raise the rate or the phase length (95% interval 0.8748–0.9454 over 240 samples")
	wantCheck(t, v.Checks[3], true, "1 (40/40)", "inconclusive")
	for i, want := range []bool{true, false, true, true} {
		if c := v.Checks[i]; c.Inconclusive != want || c.N == 0 || c.Interval.High < c.Interval.Low {
			t.Errorf("%s: inconclusive %v (interval %+v over %d), want %v", c.Expr, c.Inconclusive, c.Interval, c.N, want)
		}
	}
	// Ten times the rate: 400 steady samples, all OK, tell 0.99 apart.
	spec.Interval = 5 * time.Millisecond
	v = mustEvaluate(t, spec, "availability(steady) >= 0.99")
	if c := v.Checks[0]; !c.Pass || c.Inconclusive || c.Reason != "" || c.N != 400 || c.Interval.Low <= 0.99 {
		t.Fatalf("400 samples: %+v, want a conclusive pass", c)
	}
	v = mustEvaluate(t, telemetrySpec(slotest.App{}), "telemetry_availability >= 99%")
	if c := v.Checks[0]; !c.Pass || !c.Inconclusive || c.N != 60 {
		t.Fatalf("telemetry availability over 60 samples: %+v, want an inconclusive pass", c)
	}
}

// TestEvaluateFailbackOfAnAppThatNeverFailedOver: with no answer from another upstream,
// failback is not measured (it passes as n/a and says why); the ttf SLO fails.
func TestEvaluateFailbackOfAnAppThatNeverFailedOver(t *testing.T) {
	v := mustEvaluate(t, outage(50*time.Millisecond, slotest.App{NeverFailsOver: true}), "failback <= 3s", "ttf <= 5s")
	wantCheck(t, v.Checks[0], true, "n/a (never failed over)",
		"fault down on primary ended at 8.00s; failback not measured: the app never failed over (no answer came from another upstream than primary, during the fault or after it): nothing to fail back from → failback n/a")
	wantCheck(t, v.Checks[1], false, "never")
}

// TestEvaluateAmplificationThroughADownFaultFails: an amplification SLO over a phase
// where a down fault hid the attempts cannot be judged; it fails and says why, rather
// than pass a retry storm it could not see.
func TestEvaluateAmplificationThroughADownFaultFails(t *testing.T) {
	v := mustEvaluate(t, outage(50*time.Millisecond, slotest.App{FailoverDelay: time.Second, Retries: 2, RetryAfter: 10 * time.Millisecond}),
		"amplification(outage) <= 5", "amplification <= 5", "amplification(recovery) <= 5")
	const why = "attempts not visible through a down fault on primary (a refused or blackholed attempt never reaches a mock, so a retry storm would not show): judge retries in a phase with a protocol fault (status 503, rate-limit), or drop this SLO"
	wantCheck(t, v.Checks[0], false, "n/a: attempts not visible through a down fault on primary", "amplification in outage cannot be judged, "+why)
	wantCheck(t, v.Checks[1], false, "n/a: attempts not visible through a down fault on primary", "amplification cannot be judged, "+why)
	wantCheck(t, v.Checks[2], true, "3")
}
