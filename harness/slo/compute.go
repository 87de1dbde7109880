package slo

import "github.com/llmchaos/llmchaos/harness"

// Compute measures r: per-phase and whole-run availability, latency and TTFT
// percentiles, fault windows with their ttf and failback, amplification, Retry-After
// compliance, the longest error burst, telemetry isolation and the time series. The
// package doc gives each algorithm. A nil r gives empty Metrics. Evaluate judges SLOs
// against these Metrics only, so every observed value is one of their numbers.
func Compute(r *harness.Result, opts ...Option) Metrics {
	return newRun(r, newConfig(opts)).compute()
}

func (rn *run) compute() Metrics {
	m := Metrics{
		Scenario:      rn.r.Scenario,
		TTF:           Measure{None: true},
		Failback:      Measure{None: true},
		Interval:      rn.interval,
		Duration:      rn.end,
		FailbackShare: rn.cfg.failbackShare,
	}
	for i := range rn.windows {
		w := &rn.windows[i]
		rn.measureTTF(w)
		rn.measureFailback(w)
		m.TTF = worst(m.TTF, w.TTF)
		m.Failback = worst(m.Failback, w.Failback)
	}
	m.Faults = rn.windows
	m.Phases = rn.measurePhases()
	m.Run = rn.measureRun()
	rn.measureAmplification(m.Phases, &m.Run)
	m.Amplification = m.Run.Amplification
	m.Violations = rn.measureRetryAfter()
	m.RetryAfterViolations = len(m.Violations)
	m.NonRetryable = rn.measureNonRetryable()
	m.NonRetryableRetries = len(m.NonRetryable)
	m.MaxErrorBurst = rn.measureBurst()
	m.Telemetry = rn.measureTelemetry()
	m.Bucket = rn.bucketWidth()
	m.Series = rn.measureSeries(m.Bucket)
	return m
}

// Phase returns the named phase's metrics; "" returns the whole run (Run). ok is false
// for a phase the run does not have.
func (m Metrics) Phase(name string) (PhaseMetrics, bool) {
	if name == "" {
		return m.Run, true
	}
	for _, p := range m.Phases {
		if p.Name == name {
			return p, true
		}
	}
	return PhaseMetrics{}, false
}
