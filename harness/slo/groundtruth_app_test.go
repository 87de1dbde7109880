package slo_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"sync"
	"time"
)

// The ground-truth apps: in-process OpenAI-compatible apps whose behaviour under a fault
// is known exactly, so what slo measures can be checked against it. They reach their
// upstreams through the URLs the driver's request carries (x-primary, x-secondary,
// templated by the scenario), forward the body and X-Request-Id, relay a 2xx answer as
// is and answer anything else 502.

// gtPolicy is what an app does when the primary fails (a connection error or a 5xx).
type gtPolicy struct {
	// FailoverDelay (D): from the first primary failure it saw, the app answers 502 for
	// D, then serves every request from the secondary (0: within the failing request).
	FailoverDelay time.Duration
	// SingleProvider: the app knows only the primary. On a failure it waits RetryEvery
	// and tries again, Retries times, each attempt bounded by AttemptTimeout.
	SingleProvider bool
	Retries        int
	RetryEvery     time.Duration
	AttemptTimeout time.Duration
}

// gtFacts is what the app did, by its own clock (the harness's: same process).
type gtFacts struct {
	FirstFailure time.Time // the first primary failure it saw
	FailedOverAt time.Time // when it went to the secondary
}

// gtApp is the app under test.
type gtApp struct {
	policy gtPolicy
	tr     *http.Transport
	client *http.Client

	mu    sync.Mutex
	facts gtFacts
}

func newGTApp(p gtPolicy) *gtApp {
	if p.AttemptTimeout == 0 {
		p.AttemptTimeout = 2 * time.Second
	}
	tr := &http.Transport{MaxIdleConnsPerHost: 64}
	return &gtApp{policy: p, tr: tr, client: &http.Client{Transport: tr}}
}

// Close drops the app's pooled upstream connections.
func (a *gtApp) Close() { a.tr.CloseIdleConnections() }

// Facts returns what the app did so far.
func (a *gtApp) Facts() gtFacts {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.facts
}

func (a *gtApp) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		http.Error(w, "read the request: "+err.Error(), http.StatusBadRequest)
		return
	}
	ctx, id := r.Context(), r.Header.Get("X-Request-Id")
	primary, secondary := r.Header.Get("x-primary"), r.Header.Get("x-secondary")
	if a.policy.SingleProvider {
		a.relay(w, a.rideOut(ctx, primary, body, id))
		return
	}
	if a.onSecondary() {
		a.relay(w, a.call(ctx, secondary, body, id))
		return
	}
	ans := a.call(ctx, primary, body, id)
	switch {
	case ans.ok():
		a.relay(w, ans)
	case a.failOver(time.Now()):
		a.relay(w, a.call(ctx, secondary, body, id))
	default:
		http.Error(w, "primary failed", http.StatusBadGateway)
	}
}

// rideOut calls the primary, then retries it Retries times, RetryEvery apart.
func (a *gtApp) rideOut(ctx context.Context, primary string, body []byte, id string) gtAnswer {
	ans := a.call(ctx, primary, body, id)
	for i := 0; i < a.policy.Retries && !ans.ok(); i++ {
		t := time.NewTimer(a.policy.RetryEvery)
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
			return gtAnswer{err: ctx.Err()}
		}
		ans = a.call(ctx, primary, body, id)
	}
	return ans
}

func (a *gtApp) onSecondary() bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	return !a.facts.FailedOverAt.IsZero()
}

// failOver notes a primary failure at now and says whether this request goes to the
// secondary: from FailoverDelay after the first failure on, for good.
func (a *gtApp) failOver(now time.Time) bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.facts.FirstFailure.IsZero() {
		a.facts.FirstFailure = now
	}
	if now.Sub(a.facts.FirstFailure) < a.policy.FailoverDelay {
		return false
	}
	if a.facts.FailedOverAt.IsZero() {
		a.facts.FailedOverAt = now
	}
	return true
}

// gtAnswer is one upstream call's outcome.
type gtAnswer struct {
	status int
	header http.Header
	body   []byte
	err    error
}

func (r gtAnswer) ok() bool { return r.err == nil && r.status/100 == 2 }

// call POSTs body to base's /v1/chat/completions with the correlation id, bounded by
// the policy's AttemptTimeout.
func (a *gtApp) call(ctx context.Context, base string, body []byte, id string) gtAnswer {
	ctx, cancel := context.WithTimeout(ctx, a.policy.AttemptTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, base+"/v1/chat/completions", bytes.NewReader(body))
	if err != nil {
		return gtAnswer{err: err}
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Request-Id", id)
	resp, err := a.client.Do(req)
	if err != nil {
		return gtAnswer{err: err}
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return gtAnswer{status: resp.StatusCode, header: resp.Header, body: b, err: err}
}

// relay writes a 2xx answer as the upstream gave it, anything else as a 502.
func (a *gtApp) relay(w http.ResponseWriter, ans gtAnswer) {
	if !ans.ok() {
		http.Error(w, "upstream failed", http.StatusBadGateway)
		return
	}
	w.Header().Set("Content-Type", ans.header.Get("Content-Type"))
	w.WriteHeader(ans.status)
	_, _ = w.Write(ans.body)
}
