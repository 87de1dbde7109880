package control

import (
	"math"
	"sync"
	"time"
)

// Quota is a provider account's rate limits made live: requests per minute and tokens
// per minute, each a token bucket that holds a minute's worth and refills continuously
// (the model OpenAI and Anthropic describe). A request takes one request and its tokens
// from the buckets; the buckets' levels are what the providers' rate-limit headers
// report. Build one with NewQuota (it refuses what does not fit) or NewReportingQuota
// (it only counts). A Quota is safe for concurrent use.
type Quota struct {
	mu       sync.Mutex
	requests bucket
	tokens   bucket
	enforce  bool
}

// Limits is a quota's state as a provider's rate-limit headers report it. A limit of 0
// means the dimension is not limited (Remaining and Reset are then meaningless).
type Limits struct {
	RequestsLimit     int
	RequestsRemaining int
	// RequestsReset is how long until the requests bucket is full again.
	RequestsReset   time.Duration
	TokensLimit     int
	TokensRemaining int
	TokensReset     time.Duration
}

// Admission is a quota's answer to one request.
type Admission struct {
	// Limits is the state after the request (unchanged when it was refused).
	Limits
	// Refused names the limit that refused the request: "requests" or "tokens"; "" when
	// it was admitted.
	Refused string
	// RetryAfter is how long until the request would fit; 0 when admitted, or when it
	// can never fit (TooLarge).
	RetryAfter time.Duration
	// TooLarge is true when the request alone asks more tokens than the limit.
	TooLarge bool
	// Used is how much of the refusing limit was in use, and Requested what the request
	// asked of it (for the providers' messages).
	Used, Requested int
}

// NewQuota returns an enforcing quota of requestsPerMinute and tokensPerMinute (0: that
// dimension is not limited), full at now.
func NewQuota(requestsPerMinute, tokensPerMinute int, now time.Time) *Quota {
	return &Quota{requests: newBucket(requestsPerMinute, now), tokens: newBucket(tokensPerMinute, now), enforce: true}
}

// NewReportingQuota returns a quota that counts what requests take, so rate-limit headers
// count down and refill, but never refuses: a bucket that runs dry stays at 0.
func NewReportingQuota(requestsPerMinute, tokensPerMinute int, now time.Time) *Quota {
	q := NewQuota(requestsPerMinute, tokensPerMinute, now)
	q.enforce = false
	return q
}

// Admit takes one request and tokens from the buckets at now, or (an enforcing quota)
// refuses the request when either bucket lacks them, taking nothing.
func (q *Quota) Admit(tokens int, now time.Time) Admission {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.requests.refill(now)
	q.tokens.refill(now)
	if q.enforce {
		if a, refused := q.refuse(tokens); refused {
			a.Limits = q.limits()
			return a
		}
	}
	q.requests.take(1)
	q.tokens.take(float64(tokens))
	return Admission{Limits: q.limits()}
}

// refuse returns the refusal of a request of tokens, if a bucket refuses it.
func (q *Quota) refuse(tokens int) (Admission, bool) {
	if q.requests.limit > 0 && q.requests.level < 1 {
		return Admission{Refused: "requests", RetryAfter: q.requests.waitFor(1), Used: q.requests.used(), Requested: 1}, true
	}
	if q.tokens.limit > 0 && float64(tokens) > q.tokens.level {
		a := Admission{Refused: "tokens", Used: q.tokens.used(), Requested: tokens}
		if tokens > q.tokens.limit {
			a.TooLarge = true
		} else {
			a.RetryAfter = q.tokens.waitFor(float64(tokens))
		}
		return a, true
	}
	return Admission{}, false
}

// Peek returns the state at now without taking anything.
func (q *Quota) Peek(now time.Time) Limits {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.requests.refill(now)
	q.tokens.refill(now)
	return q.limits()
}

func (q *Quota) limits() Limits {
	return Limits{
		RequestsLimit: q.requests.limit, RequestsRemaining: q.requests.remaining(), RequestsReset: q.requests.reset(),
		TokensLimit: q.tokens.limit, TokensRemaining: q.tokens.remaining(), TokensReset: q.tokens.reset(),
	}
}

// bucket is one token bucket: limit per minute, refilled at limit/minute.
type bucket struct {
	limit int
	level float64
	last  time.Time
}

func newBucket(perMinute int, now time.Time) bucket {
	return bucket{limit: perMinute, level: float64(perMinute), last: now}
}

// rate is the refill in units per nanosecond.
func (b *bucket) rate() float64 { return float64(b.limit) / float64(time.Minute) }

func (b *bucket) refill(now time.Time) {
	if d := now.Sub(b.last); d > 0 {
		b.level = math.Min(float64(b.limit), b.level+float64(d)*b.rate())
		b.last = now
	}
}

func (b *bucket) take(n float64) { b.level = math.Max(0, b.level-n) }

func (b *bucket) remaining() int { return int(math.Floor(b.level)) }

func (b *bucket) used() int { return b.limit - b.remaining() }

// reset is how long until the bucket is full; 0 for an unlimited one.
func (b *bucket) reset() time.Duration {
	if b.limit == 0 {
		return 0
	}
	return time.Duration(math.Ceil((float64(b.limit) - b.level) / b.rate()))
}

// waitFor is how long until the bucket holds n.
func (b *bucket) waitFor(n float64) time.Duration {
	return time.Duration(math.Ceil((n - b.level) / b.rate()))
}
