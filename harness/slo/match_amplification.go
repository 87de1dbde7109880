package slo

import "fmt"

// HaveAmplificationAtMost succeeds when the whole run's amplification (LLM attempts /
// requests sent) is at most x.
func HaveAmplificationAtMost(x float64) *SLOMatcher {
	return &SLOMatcher{
		what: fmt.Sprintf("have amplification <= %g", x),
		slos: []SLO{{Metric: MetricAmplification, Op: OpLessEq, Threshold: x}},
	}
}
