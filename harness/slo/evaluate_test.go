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
	if pass && c.Reason != "" {
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
	wantCheck(t, v.Checks[0], true, "2.50s")
	wantCheck(t, v.Checks[1], false, "2.50s",
		"fault down on primary 2.00s–8.00s; failures 2.00s–4.45s (50 samples); settled at 4.50s (70 OK samples to the fault's end) → ttf 2.50s, want <= 2s")
	if v.Checks[1].Value != 2.5 || v.Checks[1].Never {
		t.Errorf("check value %v never %v", v.Checks[1].Value, v.Checks[1].Never)
	}
	wantCheck(t, v.Checks[2], true, "1.00s")
	wantCheck(t, v.Checks[3], false, "1.00s",
		"fault down on primary ended at 8.00s; traffic back on primary (≥90%) from 9.00s and stayed until 12.00s → failback 1.00s, want < 500ms")
	wantCheck(t, v.Checks[4], true, "2.50s")
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
	v := mustEvaluate(t, outage(50*time.Millisecond, slotest.App{FailoverDelay: time.Second, Retries: 1, RetryAfter: 100 * time.Millisecond, IgnoreRetryAfter: true}),
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
	wantCheck(t, v.Checks[6], false, "1.67", "amplification in outage 1.67, want <= 1.5; 200 LLM attempts for 120 requests sent (secondary 200)")
	wantCheck(t, v.Checks[7], true, "1.83")
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
