package scenarios_test

import (
	"math"
	"strings"
	"testing"
	"time"

	"github.com/llmchaos/llmchaos/harness/slo"
	"github.com/llmchaos/llmchaos/harness/slo/slotest"
	"github.com/llmchaos/llmchaos/reports"
)

// TestReportEqualityCheckCatchesADrift is the negative control of the catalog's equality
// check: on a report built from one Verdict it finds every SLO equal to its figure, and
// it reports each figure that was made to drift.
func TestReportEqualityCheckCatchesADrift(t *testing.T) {
	res := slotest.Simulate(slotest.SimSpec{Scenario: "drift", Phases: []slotest.Phase{
		{Name: "steady", Duration: 2 * time.Second},
		{Name: "outage", Duration: 6 * time.Second, Faults: []slotest.Fault{{Upstream: slotest.Primary, Kind: "status"}}},
		{Name: "recovery", Duration: 4 * time.Second},
	}, App: slotest.App{FailoverDelay: time.Second, FailbackDelay: 500 * time.Millisecond, Retries: 1, RetryAfter: 10 * time.Millisecond}})
	v, err := slo.EvaluateStrings(res, []string{"ttf <= 2s", "failback <= 3s", "availability(outage) >= 0.95",
		"availability >= 0.9", "p99(latency, outage) <= 1500ms", "p50(ttft, steady) <= 1s", "amplification(outage) <= 1.5",
		"amplification <= 3", "silent_truncations == 0", "p99(latency) <= 2s", "p90(ttft) <= 1s", "max_error_burst <= 3", "max_error_burst_duration <= 1s", "retry_after_violations == 0", "non_retryable_retries == 0"})
	if err != nil {
		t.Fatal(err)
	}
	rep := reports.Build(res, v)
	if n, bad := reportEquality(rep); n != len(v.Checks) || len(bad) > 0 {
		t.Fatalf("compared %d of %d SLOs, mismatches %v", n, len(v.Checks), bad)
	}
	drift := func(name string, change func(*reports.Report), want string) {
		t.Helper()
		r := reports.Build(res, v)
		change(r)
		_, bad := reportEquality(r)
		if len(bad) != 1 || !strings.Contains(bad[0], want) {
			t.Errorf("%s: mismatches %q, want one naming %q", name, bad, want)
		}
	}
	drift("availability", func(r *reports.Report) { r.Phases[1].Availability += 0.01 }, "availability(outage) >= 0.95 observed")
	drift("p99", func(r *reports.Report) { r.Phases[1].LatencyMS.P99 += 1 }, "p99(latency, outage)")
	drift("ttf", func(r *reports.Report) { *r.Metrics.TTFMS += 1 }, "ttf <= 2s")
	drift("never", func(r *reports.Report) { r.Metrics.FailbackMS, r.Metrics.FailbackState = nil, reports.StateNever }, "failback <= 3s: never false")
	drift("amplification", func(r *reports.Report) { r.Metrics.Amplification = reports.Float(math.Pi) }, "amplification <= 3")
	drift("burst", func(r *reports.Report) { r.Metrics.MaxErrorBurst.Count++ }, "max_error_burst <= 3")
	drift("whole-run availability", func(r *reports.Report) { r.Metrics.Run.Availability -= 0.01 }, "availability >= 0.9 observed")
	drift("whole-run p99", func(r *reports.Report) { r.Metrics.Run.LatencyMS.P99 += 1 }, "p99(latency) <= 2s observed")
	drift("whole-run ttft", func(r *reports.Report) { r.Metrics.Run.TTFTMS.P90 += 1 }, "p90(ttft) <= 1s observed")
	drift("unmapped", func(r *reports.Report) {
		r.SLOs = append(r.SLOs, reports.SLO{Expr: "p99(latency, nope) <= 1s", Observed: "21ms"})
	},
		"no phase \"nope\"")
	// The whole-run row must count what the phases count: every whole-run SLO says so.
	r := reports.Build(res, v)
	r.Metrics.Run.OK++
	if _, bad := reportEquality(r); len(bad) != 5 || !strings.Contains(strings.Join(bad, "\n"), "metrics.run counts") {
		t.Errorf("whole-run counts drifted from the phases: mismatches %q, want one per whole-run SLO (5)", bad)
	}
	r.Metrics.Run = nil
	if _, bad := reportEquality(r); len(bad) != 5 || !strings.Contains(bad[0], "no whole-run figures") {
		t.Errorf("no whole-run row: mismatches %q, want one per whole-run SLO (5)", bad)
	}
}
