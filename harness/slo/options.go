package slo

import "time"

// The defaults Compute and Evaluate use unless an Option says otherwise.
const (
	// DefaultSettleSamples is how many OK samples must follow a window's last failure,
	// inside the window, for the SUT to count as settled (fewer → ttf never).
	DefaultSettleSamples = 3
	// DefaultFailbackShare is the primary's share of served samples that counts as failed back.
	DefaultFailbackShare = 0.9
	// DefaultFailbackWindow is the rolling window failback measures the share over.
	DefaultFailbackWindow = time.Second
	// DefaultFailbackMinSamples is the least number of samples in the rolling window.
	DefaultFailbackMinSamples = 5
	// DefaultRetryAfterTolerance is how much sooner than Retry-After an attempt may come
	// before it counts as a violation (clock and scheduling noise).
	DefaultRetryAfterTolerance = 50 * time.Millisecond
	// DefaultBucket is the Series bucket width; runs longer than DefaultMaxPoints buckets
	// get wider buckets (rounded up to 100 ms).
	DefaultBucket = 500 * time.Millisecond
	// DefaultMaxPoints caps the number of Series points.
	DefaultMaxPoints = 120
)

// Option tunes Compute and Evaluate.
type Option func(*config)

type config struct {
	primary          string
	settleSamples    int
	failbackShare    float64
	failbackWindow   time.Duration
	failbackMin      int
	retryAfterTol    time.Duration
	bucket           time.Duration
	maxPoints        int
	explicitPrimary  bool
	explicitInterval time.Duration
}

func newConfig(opts []Option) config {
	c := config{
		settleSamples:  DefaultSettleSamples,
		failbackShare:  DefaultFailbackShare,
		failbackWindow: DefaultFailbackWindow,
		failbackMin:    DefaultFailbackMinSamples,
		retryAfterTol:  DefaultRetryAfterTolerance,
		maxPoints:      DefaultMaxPoints,
	}
	for _, o := range opts {
		if o != nil {
			o(&c)
		}
	}
	return c
}

// WithPrimary makes failback wait for traffic to return to the named upstream, whatever
// upstream the fault was on (default: the faulted LLM upstream itself).
func WithPrimary(name string) Option {
	return func(c *config) {
		if name != "" {
			c.primary, c.explicitPrimary = name, true
		}
	}
}

// WithSettleSamples sets how many OK samples must follow a window's last failure for
// the SUT to count as settled (default DefaultSettleSamples; at least 1).
func WithSettleSamples(n int) Option {
	return func(c *config) {
		if n >= 1 {
			c.settleSamples = n
		}
	}
}

// WithFailbackShare sets the primary's share that counts as failed back (0 < share ≤ 1).
func WithFailbackShare(share float64) Option {
	return func(c *config) {
		if share > 0 && share <= 1 {
			c.failbackShare = share
		}
	}
}

// WithFailbackWindow sets the rolling window failback measures over (default DefaultFailbackWindow).
func WithFailbackWindow(d time.Duration) Option {
	return func(c *config) {
		if d > 0 {
			c.failbackWindow = d
		}
	}
}

// WithRetryAfterTolerance sets how much sooner than asked a retry may come without
// counting as a violation (default DefaultRetryAfterTolerance).
func WithRetryAfterTolerance(d time.Duration) Option {
	return func(c *config) {
		if d >= 0 {
			c.retryAfterTol = d
		}
	}
}

// WithBucket fixes the Series bucket width (default: DefaultBucket, widened to keep
// at most DefaultMaxPoints points).
func WithBucket(d time.Duration) Option {
	return func(c *config) {
		if d > 0 {
			c.bucket = d
		}
	}
}

// WithInterval overrides the request interval (default Result.Interval, else inferred
// from the samples' schedule).
func WithInterval(d time.Duration) Option {
	return func(c *config) {
		if d > 0 {
			c.explicitInterval = d
		}
	}
}
