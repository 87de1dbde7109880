package slo

import (
	"fmt"
	"time"
)

// HaveLatencyPercentile succeeds when the p-th percentile (0 < p ≤ 100, nearest rank)
// of latency in phase ("" for the whole run) is at most atMost.
func HaveLatencyPercentile(p float64, phase string, atMost time.Duration) *SLOMatcher {
	s := SLO{Metric: MetricLatency, Percentile: p, Phase: phase, Op: OpLessEq, Duration: atMost, Threshold: atMost.Seconds()}
	m := &SLOMatcher{what: fmt.Sprintf("have %s <= %s", s.name(), fmtDur(atMost)), slos: []SLO{s}}
	if p <= 0 || p > 100 {
		m.err = fmt.Errorf("percentile %g is out of range: use 0 < p <= 100 (99 for p99)", p)
	}
	return m
}
