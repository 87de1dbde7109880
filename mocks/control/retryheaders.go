package control

import (
	"math"
	"net/http"
	"strconv"
	"time"
)

// SetRetryHeaders writes the retry headers f asks for into h and returns the delay asked
// (0 for none): Retry-After in whole seconds rounded up, or as an HTTP date (rounded up to
// the next second, so a client never waits less than asked) when RetryAfterAs is
// RetryAfterDate; retry-after-ms too when it is RetryAfterMs; x-should-retry when
// ShouldRetry is set. now is the mock's clock, for the date form.
func (f Fault) SetRetryHeaders(h http.Header, now time.Time) time.Duration {
	if f.ShouldRetry != nil {
		h.Set("X-Should-Retry", strconv.FormatBool(*f.ShouldRetry))
	}
	d := f.RetryAfter.D()
	if d <= 0 {
		return 0
	}
	if f.RetryAfterAs == RetryAfterDate {
		h.Set("Retry-After", now.Add(d).Add(time.Second-1).UTC().Format(http.TimeFormat))
	} else {
		h.Set("Retry-After", strconv.FormatInt(int64(math.Ceil(d.Seconds())), 10))
	}
	if f.RetryAfterAs == RetryAfterMs {
		h.Set("Retry-After-Ms", strconv.FormatInt(int64(math.Ceil(float64(d)/float64(time.Millisecond))), 10))
	}
	return d
}
