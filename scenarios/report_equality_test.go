package scenarios_test

import (
	"errors"
	"fmt"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"strings"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/llmchaos/llmchaos/harness/slo"
	"github.com/llmchaos/llmchaos/reports"
)

// One number per metric, over the whole catalog: after the suite, every report it wrote
// is read back, and every SLO's observed value must equal the figure the same report
// shows for that metric (phases[] for an SLO on a phase, metrics for the run-wide ones).

var _ = AfterSuite(func() {
	if _, err := os.Stat(catalogReports); errors.Is(err, fs.ErrNotExist) {
		GinkgoWriter.Printf("no catalog report was written (every spec skipped): no SLO value to compare\n")
		return
	}
	compared, err := checkReportsEquality(catalogReports)
	Expect(err).NotTo(HaveOccurred())
	Expect(compared).To(BeNumerically(">", 0), "no SLO value was compared: did the suite write its reports to %s?", catalogReports)
	GinkgoWriter.Printf("every one of %d measured SLO values equals its report figure\n", compared)
})

// checkReportsEquality reads every report under dir and compares each measured SLO value
// with its report figure; it returns how many were compared and every mismatch.
func checkReportsEquality(dir string) (int, error) {
	var dirs []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && filepath.Ext(p) == ".json" && filepath.Base(p) != "summary.json" {
			dirs = append(dirs, filepath.Dir(p))
		}
		return err
	})
	if err != nil {
		return 0, err
	}
	compared := 0
	var bad []string
	seen := map[string]bool{}
	for _, d := range dirs {
		if seen[d] {
			continue
		}
		seen[d] = true
		reps, err := reports.ReadDir(d)
		if err != nil {
			return compared, err
		}
		for _, r := range reps {
			n, mismatches := reportEquality(r)
			compared += n
			for _, m := range mismatches {
				bad = append(bad, fmt.Sprintf("%s: %s", d, m))
			}
		}
	}
	if len(bad) > 0 {
		return compared, fmt.Errorf("SLO values that differ from their report figures:\n  %s", strings.Join(bad, "\n  "))
	}
	return compared, nil
}

// reportEquality compares every measured SLO of r with r's figure for it.
func reportEquality(r *reports.Report) (compared int, bad []string) {
	for _, c := range r.SLOs {
		if strings.HasPrefix(c.Observed, "n/a") {
			continue // nothing was measured: no value to compare
		}
		s, err := slo.Parse(c.Expr)
		if err != nil {
			bad = append(bad, fmt.Sprintf("%s: %s does not parse: %v", r.Scenario, c.Expr, err))
			continue
		}
		want, never, err := reportFigure(r, s)
		switch {
		case err != nil:
			bad = append(bad, fmt.Sprintf("%s: %s: %v", r.Scenario, c.Expr, err))
		case never || c.Never:
			if never != c.Never {
				bad = append(bad, fmt.Sprintf("%s: %s: never %v, report metrics say never %v", r.Scenario, c.Expr, c.Never, never))
			}
			compared++
		case !sameFigure(float64(c.Value), want, s.Unit()):
			bad = append(bad, fmt.Sprintf("%s: %s observed %v, the report shows %v", r.Scenario, c.Expr, float64(c.Value), want))
		default:
			compared++
		}
	}
	return compared, bad
}

// sameFigure compares an SLO value with a report figure: durations are in seconds against
// milliseconds rounded to the microsecond, everything else exactly.
func sameFigure(value, figure float64, u slo.Unit) bool {
	if u == slo.UnitDuration {
		return math.Abs(value*1000-figure) <= 0.0005+1e-9
	}
	return value == figure
}

// reportFigure is the number r shows for s (milliseconds for durations), or never.
func reportFigure(r *reports.Report, s slo.SLO) (figure float64, never bool, err error) {
	switch s.Metric {
	case slo.MetricTTF:
		return measureFigure(r.Metrics.TTFMS, r.Metrics.TTFState)
	case slo.MetricFailback:
		return measureFigure(r.Metrics.FailbackMS, r.Metrics.FailbackState)
	case slo.MetricRetryAfterViolations:
		return float64(r.Metrics.RetryAfterViolations), false, nil
	case slo.MetricNonRetryableRetries:
		return float64(r.Metrics.NonRetryableRetries), false, nil
	case slo.MetricMaxErrorBurst:
		return float64(r.Metrics.MaxErrorBurst.Count), false, nil
	case slo.MetricMaxErrorBurstDuration:
		return r.Metrics.MaxErrorBurst.DurationMS, false, nil
	case slo.MetricTelemetryLatencyRatio, slo.MetricTelemetryAvailability, slo.MetricTelemetryResumed:
		return telemetryFigure(r, s)
	}
	return phaseFigure(r, s)
}

func measureFigure(ms *float64, state reports.MeasureState) (float64, bool, error) {
	switch {
	case state == reports.StateNever:
		return 0, true, nil
	case ms == nil:
		return 0, false, fmt.Errorf("the report shows no value (state %q)", state)
	}
	return *ms, false, nil
}

func telemetryFigure(r *reports.Report, s slo.SLO) (float64, bool, error) {
	t := r.Metrics.Telemetry
	if t == nil {
		return 0, false, fmt.Errorf("the report has no telemetry metrics")
	}
	switch s.Metric {
	case slo.MetricTelemetryLatencyRatio:
		return float64(t.LatencyRatio), false, nil
	case slo.MetricTelemetryAvailability:
		return float64(t.FaultedAvailability), false, nil
	}
	if t.Resumed {
		return 1, false, nil
	}
	return 0, false, nil
}

// phaseFigure reads a phased metric from the phase's entry; for the whole run, from
// metrics (amplification) or the sum over the phases where that sum is exact.
func phaseFigure(r *reports.Report, s slo.SLO) (float64, bool, error) {
	if s.Phase == "" {
		return runFigure(r, s)
	}
	for _, p := range r.Phases {
		if p.Name != s.Phase {
			continue
		}
		switch s.Metric {
		case slo.MetricAvailability:
			return float64(p.Availability), false, nil
		case slo.MetricAmplification:
			return float64(p.Amplification), false, nil
		case slo.MetricSilentTruncations:
			return float64(p.Outcomes["truncated"]), false, nil
		case slo.MetricLatency:
			return percentileFigure(p.LatencyMS, s.Percentile)
		case slo.MetricTTFT:
			return percentileFigure(p.TTFTMS, s.Percentile)
		}
		return 0, false, fmt.Errorf("no report figure is mapped for %q; add it to this test", s.Metric)
	}
	return 0, false, fmt.Errorf("the report has no phase %q", s.Phase)
}

// runFigure is the whole run's figure: the report's metrics and its whole-run row
// (metrics.run), which must also agree with the sums of the phases' counts (the phases
// partition the samples).
func runFigure(r *reports.Report, s slo.SLO) (float64, bool, error) {
	run := r.Metrics.Run
	if run == nil {
		return 0, false, fmt.Errorf("the report has no whole-run figures (metrics.run)")
	}
	ok, requests, truncated := 0, 0, 0
	for _, p := range r.Phases {
		ok, requests, truncated = ok+p.OK, requests+p.Requests, truncated+p.Outcomes["truncated"]
	}
	if ok != run.OK || requests != run.Requests || truncated != run.Outcomes["truncated"] {
		return 0, false, fmt.Errorf("metrics.run counts %d ok of %d (%d truncated), the phases sum to %d of %d (%d)",
			run.OK, run.Requests, run.Outcomes["truncated"], ok, requests, truncated)
	}
	switch s.Metric {
	case slo.MetricAmplification:
		return float64(r.Metrics.Amplification), false, nil
	case slo.MetricSilentTruncations:
		return float64(run.Outcomes["truncated"]), false, nil
	case slo.MetricAvailability:
		return float64(run.Availability), false, nil
	case slo.MetricLatency:
		return percentileFigure(run.LatencyMS, s.Percentile)
	case slo.MetricTTFT:
		return percentileFigure(run.TTFTMS, s.Percentile)
	}
	return 0, false, fmt.Errorf("the report shows no whole-run figure for %q: name a phase, or add the figure to the report", s.Metric)
}

func percentileFigure(p reports.Percentiles, pct float64) (float64, bool, error) {
	switch pct {
	case 50:
		return p.P50, false, nil
	case 90:
		return p.P90, false, nil
	case 95:
		return p.P95, false, nil
	case 99:
		return p.P99, false, nil
	case 100:
		return p.Max, false, nil
	}
	return 0, false, fmt.Errorf("the report shows no p%g", pct)
}
