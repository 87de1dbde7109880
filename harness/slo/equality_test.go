package slo_test

import (
	"fmt"
	"math"
	"sort"
	"testing"
	"time"

	"github.com/llmchaos/llmchaos/harness"
	"github.com/llmchaos/llmchaos/harness/load"
	"github.com/llmchaos/llmchaos/harness/slo"
	"github.com/llmchaos/llmchaos/harness/slo/slotest"
	"github.com/llmchaos/llmchaos/mocks/control"
)

// One computation per number: every SLO's observed value (Check.Value) is the field of
// Metrics that the report shows for it. The mapping from an SLO to its field is written
// out here by hand, independently of Evaluate, for every metric and phase form.

// expectedValue is the Metrics field an SLO reads, in the SLO's unit, and whether there
// was anything to measure (false: the check must read n/a and carry no value).
func expectedValue(t *testing.T, m slo.Metrics, s slo.SLO) (value float64, measured bool) {
	t.Helper()
	pm := m.Run
	if s.Phase != "" {
		found := false
		for _, p := range m.Phases {
			if p.Name == s.Phase {
				pm, found = p, true
			}
		}
		if !found {
			t.Fatalf("%s: the run has no phase %q", s, s.Phase)
		}
	}
	switch s.Metric {
	case slo.MetricTTF:
		return m.TTF.Value.Seconds(), !m.TTF.None && !m.TTF.Never
	case slo.MetricFailback:
		return m.Failback.Value.Seconds(), !m.Failback.None && !m.Failback.Never
	case slo.MetricAvailability:
		return pm.Availability, pm.Requests > 0
	case slo.MetricLatency:
		return percentileField(t, pm.Latency, s.Percentile).Seconds(), pm.Latency.N > 0
	case slo.MetricTTFT:
		return percentileField(t, pm.TTFT, s.Percentile).Seconds(), pm.TTFT.N > 0
	case slo.MetricAmplification:
		return pm.Amplification, pm.Sent > 0 && pm.AmplificationNA == ""
	case slo.MetricSilentTruncations:
		return float64(pm.SilentTruncations), true
	case slo.MetricRetryAfterViolations:
		return float64(m.RetryAfterViolations), true
	case slo.MetricNonRetryableRetries:
		return float64(m.NonRetryableRetries), true
	case slo.MetricMaxErrorBurst:
		return float64(m.MaxErrorBurst.Count), true
	case slo.MetricMaxErrorBurstDuration:
		return m.MaxErrorBurst.Duration.Seconds(), true
	case slo.MetricTelemetryLatencyRatio:
		return m.Telemetry.LatencyRatio, m.Telemetry.Faulted && m.Telemetry.LatencyRatio != 0
	case slo.MetricTelemetryAvailability:
		return m.Telemetry.FaultedAvailability, m.Telemetry.Faulted && m.Telemetry.FaultedRequests > 0
	case slo.MetricTelemetryResumed:
		if m.Telemetry.Resumed {
			return 1, m.Telemetry.Faulted
		}
		return 0, m.Telemetry.Faulted
	}
	t.Fatalf("%s: no Metrics field is mapped for metric %q; add it here", s, s.Metric)
	return 0, false
}

// expectedInterval is the Wilson interval and sample count Metrics holds for a ratio SLO.
func expectedInterval(m slo.Metrics, s slo.SLO) (slo.Interval, int, bool) {
	switch s.Metric {
	case slo.MetricAvailability:
		pm, ok := m.Phase(s.Phase)
		return pm.AvailabilityCI, pm.Requests, ok && pm.Requests > 0
	case slo.MetricTelemetryAvailability:
		return m.Telemetry.FaultedAvailabilityCI, m.Telemetry.FaultedRequests, m.Telemetry.Faulted && m.Telemetry.FaultedRequests > 0
	}
	return slo.Interval{}, 0, false
}

func percentileField(t *testing.T, p slo.Percentiles, pct float64) time.Duration {
	t.Helper()
	switch pct {
	case 50:
		return p.P50
	case 90:
		return p.P90
	case 95:
		return p.P95
	case 99:
		return p.P99
	case 100:
		return p.Max
	}
	t.Fatalf("no Percentiles field for p%g", pct)
	return 0
}

// everyForm is every SLO metric, in every phase form the run allows (whole run and each
// of phases), with every percentile of latency and ttft.
func everyForm(t *testing.T, phases []string) []slo.SLO {
	t.Helper()
	exprs := []string{"ttf <= 2s", "failback <= 2s", "retry_after_violations == 0", "non_retryable_retries == 0", "max_error_burst <= 3",
		"max_error_burst_duration <= 1s", "telemetry_latency_ratio <= 1.5", "telemetry_availability >= 0.99", "telemetry_resumed == 1"}
	for _, ph := range append([]string{""}, phases...) {
		arg := ""
		if ph != "" {
			arg = "(" + ph + ")"
		}
		exprs = append(exprs, "availability"+arg+" >= 0.95", "amplification"+arg+" <= 1.5", "silent_truncations"+arg+" == 0")
		for _, pct := range []string{"p50", "p90", "p95", "p99", "max"} {
			for _, of := range []string{"latency", "ttft"} {
				in := of
				if ph != "" {
					in += ", " + ph
				}
				exprs = append(exprs, fmt.Sprintf("%s(%s) <= 50ms", pct, in))
			}
		}
	}
	slos, err := slo.ParseAll(exprs)
	if err != nil {
		t.Fatal(err)
	}
	return slos
}

// equalityRuns are the Results the equality is checked over: simulated apps of every
// behaviour, and synthetic Results with dropped samples, cut answers, a phase with no
// sample and samples outside every phase.
func equalityRuns() map[string]*harness.Result {
	iv := 50 * time.Millisecond
	runs := map[string]*harness.Result{
		"failover-1s":       slotest.Simulate(outage(iv, slotest.App{FailoverDelay: time.Second, FailbackDelay: 500 * time.Millisecond})),
		"never":             slotest.Simulate(outage(iv, slotest.App{NeverFailsOver: true, NeverFailsBack: true})),
		"flap":              slotest.Simulate(outage(iv, slotest.App{Flap: 300 * time.Millisecond})),
		"retry-storm":       slotest.Simulate(outage(iv, slotest.App{Retries: 2, RetryAfter: 100 * time.Millisecond, IgnoreRetryAfter: true})),
		"status-storm":      slotest.Simulate(outageOf("status", iv, slotest.App{FailoverDelay: time.Second, Retries: 2, RetryAfter: 10 * time.Millisecond})),
		"ride-out":          slotest.Simulate(outage(iv, slotest.App{RetryPrimaryEvery: 800 * time.Millisecond, RetryPrimaryTimes: 1})),
		"non-retryable":     slotest.Simulate(outage(iv, slotest.App{Retries: 1, NonRetryable: true})),
		"telemetry":         slotest.Simulate(telemetrySpec(slotest.App{TelemetryPenalty: 63 * time.Millisecond, TelemetryNeverResumes: true})),
		"telemetry-resumes": slotest.Simulate(telemetrySpec(slotest.App{})),
		"synthetic":         syntheticResult(),
	}
	dropped := slotest.Simulate(outage(iv, slotest.App{FailoverDelay: 200 * time.Millisecond}))
	for i := 0; i < len(dropped.Samples); i += 7 {
		s := &dropped.Samples[i]
		s.Outcome, s.ServedBy = load.OutcomeDropped, ""
		s.SetEnded(time.Time{})
		s.SetFirstToken(time.Time{})
	}
	runs["dropped"] = dropped
	return runs
}

// syntheticResult has a phase with no sample ("empty"), samples of every outcome with
// and without a first token, and two samples scheduled after the last phase.
func syntheticResult() *harness.Result {
	start := time.Unix(5000, 0)
	r := &harness.Result{Scenario: "synthetic", Start: start, End: start.Add(3 * time.Second), Interval: 100 * time.Millisecond,
		Kinds: map[string]harness.UpstreamKind{"primary": harness.KindOpenAI}}
	r.Phases = []harness.PhaseSpan{
		{Name: "steady", Start: start, End: start.Add(time.Second)},
		{Name: "empty", Start: start.Add(time.Second), End: start.Add(2 * time.Second)},
	}
	outcomes := []load.Outcome{load.OutcomeOK, load.OutcomeTruncated, load.OutcomeIncomplete,
		load.OutcomeHTTPError, load.OutcomeTruncated, load.OutcomeDropped, load.OutcomeTimeout, load.OutcomeOK}
	for i, o := range outcomes {
		at := start.Add(time.Duration(i) * 100 * time.Millisecond)
		if i >= 6 {
			at = start.Add(2*time.Second + time.Duration(i)*100*time.Millisecond)
		}
		s := load.Sample{Seq: i + 1, ID: fmt.Sprintf("s-%d", i), Phase: "steady", Scheduled: at, Outcome: o, Status: 200, Error: "cut"}
		s.SetStarted(at)
		if i >= 6 {
			s.Phase = "late"
		}
		if o != load.OutcomeDropped {
			s.SetEnded(at.Add(time.Duration(10*(i+1)) * time.Millisecond))
			r.Journals = appendAttempt(r.Journals, s)
		}
		if o == load.OutcomeOK || o == load.OutcomeTruncated {
			s.ServedBy = "primary"
			s.SetFirstToken(at.Add(5 * time.Millisecond))
		}
		r.Samples = append(r.Samples, s)
	}
	return r
}

func appendAttempt(j map[string][]control.Attempt, s load.Sample) map[string][]control.Attempt {
	if j == nil {
		j = map[string][]control.Attempt{}
	}
	j["primary"] = append(j["primary"], control.Attempt{Upstream: "primary", Arrived: s.Scheduled.Add(time.Millisecond), CorrelationID: s.ID})
	return j
}

func TestEveryObservedValueIsTheMetricsField(t *testing.T) {
	runs := equalityRuns()
	names := make([]string, 0, len(runs))
	for n := range runs {
		names = append(names, n)
	}
	sort.Strings(names)
	measured := 0
	for _, name := range names {
		m := slo.Compute(runs[name])
		var phases []string
		for _, p := range m.Phases {
			if p.Name != "" {
				phases = append(phases, p.Name)
			}
		}
		slos := everyForm(t, phases)
		v := slo.Evaluate(m, slos)
		for i, c := range v.Checks {
			s := slos[i]
			want, ok := expectedValue(t, m, s)
			switch {
			case s.Metric == slo.MetricTTF && m.TTF.Never, s.Metric == slo.MetricFailback && m.Failback.Never:
				if !c.Never || c.Pass {
					t.Errorf("%s / %s: metrics say never, check %+v", name, c.Expr, c)
				}
			case !ok:
				if c.Value != 0 || c.Observed == "" || c.Observed[:3] != "n/a" {
					t.Errorf("%s / %s: nothing to measure, but the check reads %q value %v", name, c.Expr, c.Observed, c.Value)
				}
			case c.Value != want || math.IsNaN(c.Value):
				t.Errorf("%s / %s: observed value %v, but Metrics holds %v", name, c.Expr, c.Value, want)
			default:
				measured++
			}
			if ci, n, ok := expectedInterval(m, s); ok && (c.Interval != ci || c.N != n) {
				t.Errorf("%s / %s: interval %+v over %d, but Metrics holds %+v over %d", name, c.Expr, c.Interval, c.N, ci, n)
			}
		}
	}
	if measured < 300 {
		t.Fatalf("only %d measured values were compared; the equality test is too thin", measured)
	}
}

// TestAnyPercentileComesFromTheSameSet: a percentile no field holds (p12.5, from Go) is
// read from the same sorted set as the fields, with the nearest-rank rule.
func TestAnyPercentileComesFromTheSameSet(t *testing.T) {
	r := slotest.Simulate(outage(50*time.Millisecond, slotest.App{FailoverDelay: time.Second}))
	m := slo.Compute(r)
	var lat []time.Duration
	for _, s := range r.Samples {
		if s.Phase == "outage" {
			lat = append(lat, s.Latency())
		}
	}
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	want := lat[int(math.Ceil(0.125*float64(len(lat))))-1]
	out, _ := m.Phase("outage")
	if got := out.Latency.At(12.5); got != want {
		t.Fatalf("p12.5 = %v, want %v (nearest rank over %d samples)", got, want, len(lat))
	}
	if out.Latency.At(99) != out.Latency.P99 || out.Latency.At(100) != out.Latency.Max {
		t.Fatalf("At disagrees with the fields: %+v", out.Latency)
	}
	v := slo.Evaluate(m, []slo.SLO{{Metric: slo.MetricLatency, Percentile: 12.5, Phase: "outage", Op: slo.OpLessEq, Duration: time.Second, Threshold: 1}})
	if v.Checks[0].Value != want.Seconds() {
		t.Fatalf("check value %v, want %v", v.Checks[0].Value, want.Seconds())
	}
}
