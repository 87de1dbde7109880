package main

import (
	"errors"
	"log/slog"
	"sync"
	"time"

	"github.com/sony/gobreaker/v2"
)

// errClientGone marks an attempt that ended because the client left: it says nothing
// about the upstream, so the breaker ignores it.
var errClientGone = errors.New("client went away")

// upstream is a provider with its circuit breaker and its Retry-After cooldown.
type upstream struct {
	p  provider
	cb *gobreaker.TwoStepCircuitBreaker[struct{}]

	mu        sync.Mutex
	notBefore time.Time // the upstream asked not to be called before this (Retry-After)
}

// newUpstream wraps p with a breaker that opens after cfg.BreakerFailures consecutive
// upstream faults, stays open cfg.BreakerOpen, then lets cfg.BreakerProbes requests probe.
func newUpstream(p provider, cfg Config, log *slog.Logger) *upstream {
	failures := cfg.BreakerFailures
	return &upstream{p: p, cb: gobreaker.NewTwoStepCircuitBreaker[struct{}](gobreaker.Settings{
		Name:        p.name(),
		MaxRequests: cfg.BreakerProbes,
		Timeout:     cfg.BreakerOpen,
		ReadyToTrip: func(c gobreaker.Counts) bool { return c.ConsecutiveFailures >= failures },
		OnStateChange: func(name string, from, to gobreaker.State) {
			log.Warn("breaker", "upstream", name, "from", from.String(), "to", to.String())
		},
		IsSuccessful: func(err error) bool {
			var ae *attemptError
			return err == nil || (errors.As(err, &ae) && !ae.upstreamFault())
		},
		IsExcluded: func(err error) bool { return errors.Is(err, errClientGone) },
	})}
}

func (u *upstream) name() string { return u.p.name() }

// open reports whether the breaker refuses calls now.
func (u *upstream) open() bool { return u.cb.State() == gobreaker.StateOpen }

// readyAt is when the upstream may be called again after a Retry-After.
func (u *upstream) readyAt() time.Time {
	u.mu.Lock()
	defer u.mu.Unlock()
	return u.notBefore
}

// coolDown records that the upstream asked for d of quiet from now.
func (u *upstream) coolDown(d time.Duration) {
	if d <= 0 {
		return
	}
	t := time.Now().Add(d)
	u.mu.Lock()
	if t.After(u.notBefore) {
		u.notBefore = t
	}
	u.mu.Unlock()
}
