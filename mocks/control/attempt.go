package control

import "time"

// Attempt is one request a mock received, as the mock saw and answered it.
// It is the unit of every mock's journal.
type Attempt struct {
	// Seq numbers attempts in arrival order within one mock, from 1.
	Seq int `json:"seq"`
	// Upstream is the mock's name (primary, secondary, collector, store).
	Upstream string `json:"upstream"`
	// Arrived is when the request's headers were read.
	Arrived time.Time `json:"arrived"`
	// Duration is from arrival until the answer was finished or abandoned.
	Duration time.Duration `json:"duration_ns"`
	// Method and Path of the request.
	Method string `json:"method"`
	Path   string `json:"path"`
	// CorrelationID is the driver's id, from whichever carrier survived the SUT; "" if none did.
	CorrelationID string `json:"correlation_id,omitempty"`
	// RetryCount is the X-Stainless-Retry-Count header, or -1 when it was not sent.
	RetryCount int `json:"retry_count"`
	// Stream is true when the client asked for a streamed answer.
	Stream bool `json:"stream,omitempty"`
	// Status is the HTTP status written (0 if none was: hang, or the client left first).
	Status int `json:"status"`
	// Fault names the fault type that shaped this answer ("rate-limit", "slow-tokens",
	// "quota"; the vocabulary word of Types), "" when none did.
	Fault string `json:"fault,omitempty"`
	// NonRetryable is true when the answer told the client not to retry the request:
	// an error status a retry cannot fix (NonRetryableStatus: 400 context length or
	// content filter, 401, 404, ...), 429 insufficient_quota, an in-stream error of
	// that kind, or x-should-retry: false.
	NonRetryable bool `json:"non_retryable,omitempty"`
	// ToolCalls counts the tool calls the answer made (0 for a text answer).
	ToolCalls int `json:"tool_calls,omitempty"`
	// FollowUp is true when the request carried a tool result: the turn after a tool call.
	FollowUp bool `json:"follow_up,omitempty"`
	// RetryAfter is the delay the answer asked the client to wait (Retry-After or
	// retry-after-ms), 0 when it asked for none.
	RetryAfter time.Duration `json:"retry_after_ns,omitempty"`
	// Bytes is the size of the response body written.
	Bytes int64 `json:"bytes"`
	// Complete is true when the whole answer, end marker included, was written.
	Complete bool `json:"complete"`
	// Cut is true when the answer was ended early on purpose (truncation, stall, error event)
	// or by the client going away.
	Cut bool `json:"cut,omitempty"`
	// Items counts what a telemetry export carried (spans, data points, log records);
	// Accepted how many of them the mock accepted. Zero for other mocks.
	Items    int `json:"items,omitempty"`
	Accepted int `json:"accepted,omitempty"`
	// Error is a short description of what went wrong, for bad input or a broken client.
	Error string `json:"error,omitempty"`
}

// NonRetryableStatus reports whether an error status says that retrying the same request
// cannot help: every 4xx but 408 (timeout), 409 (conflict) and 429 (rate limit), the
// statuses the official SDKs retry. A 429 insufficient_quota is non-retryable too, but
// only its body says so.
func NonRetryableStatus(status int) bool {
	return status >= 400 && status < 500 && status != 408 && status != 409 && status != 429
}
