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
	// Fault names the fault mode that shaped this answer, "" when none did.
	Fault string `json:"fault,omitempty"`
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
