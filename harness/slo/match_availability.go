package slo

import "fmt"

// HaveAvailability succeeds when the phase's availability (OK samples / samples
// scheduled; "" for the whole run) is at least atLeast (a ratio, 0.99).
func HaveAvailability(phase string, atLeast float64) *SLOMatcher {
	s := SLO{Metric: MetricAvailability, Phase: phase, Op: OpGreaterEq, Threshold: atLeast}
	return &SLOMatcher{what: fmt.Sprintf("have %s >= %g", s.name(), atLeast), slos: []SLO{s}}
}
