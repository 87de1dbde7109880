package slo

import "github.com/llmchaos/llmchaos/harness"

// Compute measures r: per-phase availability, latency and TTFT percentiles, fault
// windows with their ttf and failback, amplification, Retry-After compliance, the
// longest error burst, telemetry isolation and the time series. The package doc gives
// each algorithm. A nil r gives empty Metrics.
func Compute(r *harness.Result, opts ...Option) Metrics {
	return newRun(r, newConfig(opts)).compute()
}

func (rn *run) compute() Metrics {
	m := Metrics{
		TTF:      Measure{None: true},
		Failback: Measure{None: true},
		Interval: rn.interval,
		Duration: rn.end,
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
	m.Amplification = rn.measureAmplification(m.Phases)
	m.Violations = rn.measureRetryAfter()
	m.RetryAfterViolations = len(m.Violations)
	m.MaxErrorBurst = rn.measureBurst()
	m.Telemetry = rn.measureTelemetry()
	m.Bucket = rn.bucketWidth()
	m.Series = rn.measureSeries(m.Bucket)
	return m
}
