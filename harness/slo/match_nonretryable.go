package slo

// NotRetryNonRetryable succeeds when no attempt followed, on the same upstream for the
// same request, an answer the provider marked as not to be retried (400 context length,
// 401, 404, 429 insufficient_quota, x-should-retry: false): non_retryable_retries == 0.
func NotRetryNonRetryable() *SLOMatcher {
	return &SLOMatcher{
		what: "not retry non-retryable errors",
		slos: []SLO{{Metric: MetricNonRetryableRetries, Op: OpEqual, Threshold: 0}},
	}
}
