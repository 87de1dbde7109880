package slo

// HonourRetryAfter succeeds when no retry came sooner than the Retry-After the mock
// asked for (less DefaultRetryAfterTolerance, or WithRetryAfterTolerance).
func HonourRetryAfter() *SLOMatcher {
	return &SLOMatcher{
		what: "honour Retry-After",
		slos: []SLO{{Metric: MetricRetryAfterViolations, Op: OpEqual, Threshold: 0}},
	}
}
