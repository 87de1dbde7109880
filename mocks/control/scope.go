package control

import (
	"fmt"
	"hash/fnv"
	"sync/atomic"
)

// Scope decides which requests a fault applies to. The zero value applies to every request.
// Fraction and FirstN are exclusive; set at most one.
type Scope struct {
	// Fraction in (0,1] applies the fault to that share of requests, chosen by a seeded
	// hash of the request's sequence number, so a run with the same seed hits the same requests.
	Fraction float64 `json:"fraction,omitempty"`
	// FirstN applies the fault to the first N requests after it was set, then to none.
	FirstN int `json:"first_n,omitempty"`
	// Seed seeds the Fraction choice.
	Seed int64 `json:"seed,omitempty"`
}

// Validate reports a scope that cannot be applied, as a *FieldError.
func (s Scope) Validate() error {
	switch {
	case s.Fraction < 0 || s.Fraction > 1:
		return &FieldError{Field: "fraction", Msg: fmt.Sprintf("%v is outside (0,1]: the share of requests hit (leave it out for all)", s.Fraction)}
	case s.FirstN < 0:
		return &FieldError{Field: "first_n", Msg: fmt.Sprintf("%d is negative", s.FirstN)}
	case s.Fraction > 0 && s.FirstN > 0:
		return &FieldError{Field: "first_n", Msg: "set fraction or first_n, not both"}
	}
	return nil
}

// Matcher is a Scope made live: it counts the requests it has seen.
type Matcher struct {
	scope Scope
	seen  atomic.Int64
}

// NewMatcher returns a Matcher for s.
func NewMatcher(s Scope) *Matcher { return &Matcher{scope: s} }

// Hit reports whether the next request falls inside the scope. Call it once per request.
func (m *Matcher) Hit() bool {
	n := m.seen.Add(1)
	switch {
	case m.scope.FirstN > 0:
		return n <= int64(m.scope.FirstN)
	case m.scope.Fraction > 0:
		return fraction(m.scope.Seed, n) < m.scope.Fraction
	default:
		return true
	}
}

// fraction maps (seed, n) to a deterministic value in [0,1).
func fraction(seed, n int64) float64 {
	h := fnv.New64a()
	var b [16]byte
	for i := 0; i < 8; i++ {
		b[i] = byte(seed >> (8 * i))
		b[8+i] = byte(n >> (8 * i))
	}
	h.Write(b[:])
	return float64(h.Sum64()>>11) / float64(1<<53)
}
