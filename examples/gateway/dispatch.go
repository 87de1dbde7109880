package main

import (
	"context"
	"errors"
	"math/rand/v2"
	"time"
)

// retryBackoff is the pause before retrying an upstream that gave no Retry-After.
const retryBackoff = 100 * time.Millisecond

// attempt runs one try on u. committed says bytes went to the client (no more
// failover); err is the failure, nil on success.
type attempt func(ctx context.Context, u *upstream) (committed bool, err *attemptError)

// dispatchResult is how a request's attempts went.
type dispatchResult struct {
	served    *upstream     // the upstream that answered (committed), nil if none
	attempts  int           // upstream attempts made
	last      *attemptError // the last failure, if any
	committed bool
}

// dispatch tries upstreams in order of preference until one commits an answer: an
// untried upstream that is up first (so a failure fails over at once), then one that
// asked for a pause short enough to wait for, then a retry of an upstream already tried
// if its failure is retryable and the retry budget allows. At most cfg.MaxAttempts
// attempts, and no new attempt after cfg.RequestBudget.
func (s *server) dispatch(ctx context.Context, meta requestMeta, try attempt) dispatchResult {
	var res dispatchResult
	deadline := time.Now().Add(s.cfg.RequestBudget)
	failed := map[*upstream]*tryState{}
	for res.attempts < s.cfg.MaxAttempts && ctx.Err() == nil {
		u, wait := s.pick(failed, deadline)
		if u == nil {
			break
		}
		if wait > 0 && !sleepCtx(ctx, wait) {
			break
		}
		done, err := u.cb.Allow()
		if err != nil { // open, or half-open with its probes taken
			failed[u] = &tryState{err: &attemptError{upstream: u.name(), noRetry: true, err: err}}
			continue
		}
		res.attempts++
		committed, aerr := try(ctx, u)
		switch {
		case aerr == nil:
			done(nil)
		case ctx.Err() != nil:
			done(errClientGone)
		default:
			done(aerr)
			u.coolDown(aerr.wait)
		}
		if committed || aerr == nil {
			res.served, res.committed, res.last = u, true, aerr
			return res
		}
		res.last = aerr
		if st := failed[u]; st != nil {
			st.err = aerr
		} else {
			failed[u] = &tryState{err: aerr}
		}
		s.log.Warn("attempt failed", "upstream", u.name(), "request_id", meta.requestID, "err", aerr.Error())
	}
	return res
}

// tryState is how an upstream fared for one request.
type tryState struct {
	err     *attemptError
	retried bool
}

// pick chooses the next upstream and how long to wait for it; nil if none is worth trying.
func (s *server) pick(failed map[*upstream]*tryState, deadline time.Time) (*upstream, time.Duration) {
	now := time.Now()
	limit := now.Add(s.cfg.MaxRetryWait)
	if deadline.Before(limit) {
		limit = deadline
	}
	for _, u := range s.ups { // untried and ready now
		if _, tried := failed[u]; !tried && !u.open() && !u.readyAt().After(now) {
			return u, 0
		}
	}
	for _, u := range s.ups { // untried, ready soon enough to wait for
		if _, tried := failed[u]; !tried && !u.open() && !u.readyAt().After(limit) {
			return u, u.readyAt().Sub(now)
		}
	}
	for _, u := range s.ups { // a retry: retryable, ready in time, within the budget
		st, tried := failed[u]
		if !tried || st.retried || !st.err.retryable() || u.open() {
			continue
		}
		wait := max(u.readyAt().Sub(now), jitter(retryBackoff))
		if now.Add(wait).After(limit) || !s.budget.withdraw() {
			continue
		}
		st.retried = true // one retry per upstream per request
		return u, wait
	}
	return nil, 0
}

// jitter returns d spread over [d/2, 3d/2).
func jitter(d time.Duration) time.Duration {
	return d/2 + time.Duration(rand.Int64N(int64(d)))
}

// statusFor is the HTTP status a request gets when no upstream answered.
func statusFor(res dispatchResult) int {
	ae := res.last
	switch {
	case ae == nil:
		return 503 // nothing was available to try
	case ae.timeout:
		return 504
	case ae.status >= 400 && ae.status < 500 && !ae.upstreamFault():
		return ae.status // the request itself was refused: say so
	case errors.Is(ae.err, context.DeadlineExceeded):
		return 504
	default:
		return 502
	}
}
