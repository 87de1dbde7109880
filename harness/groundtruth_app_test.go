package harness_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"strconv"
	"sync"
	"time"
)

// The ground-truth app: an in-process OpenAI-compatible gateway whose failover behaviour
// is set exactly by a gtPolicy, so the harness's measurements can be checked against
// what the app is known to do. It reaches its upstreams through the URLs the driver's
// request carries in the x-primary and x-secondary headers (templated by the scenario),
// forwards the request body and X-Request-Id, and relays a 2xx answer as is. Anything
// it cannot serve is a 502.

// gtProbeEvery is how often a failed-over app probes the primary, at most.
const gtProbeEvery = 50 * time.Millisecond

// gtCallTimeout bounds one upstream call (a probe: gtProbeTimeout).
const (
	gtCallTimeout  = 2 * time.Second
	gtProbeTimeout = 500 * time.Millisecond
)

// gtRateLimit is what the app does with a 429 from the primary.
type gtRateLimit int

const (
	gtGiveUp      gtRateLimit = iota // answer 502
	gtRetryAtOnce                    // retry the primary once, at once (ignores Retry-After)
	gtHonour                         // wait the Retry-After (retry-after-ms preferred), then retry once
)

// gtPolicy is the app's failover policy.
type gtPolicy struct {
	// FailoverDelay (D): after the first primary failure it saw (a connection error or a
	// 5xx), the app answers 502 until D has passed, then serves from the secondary and
	// stays there. 0 fails over within the failing request.
	FailoverDelay time.Duration
	// NeverFailOver: the app never uses the secondary.
	NeverFailOver bool
	// Flap > 0: while the primary fails, the app alternates from its first failure on:
	// it answers 502 for Flap, serves from the secondary for Flap, and so on. It never
	// "fails over" for good, so it tries the primary on every request.
	Flap time.Duration
	// FailbackDelay (F): once failed over, the app probes the primary at most every
	// gtProbeEvery (on the requests it serves); F after the first successful probe
	// (with no failed one since) it goes back to the primary.
	FailbackDelay time.Duration
	// NeverFailBack: once failed over the app stays on the secondary.
	NeverFailBack bool
	// Retries (k): on a primary 5xx the app retries the primary k more times at once.
	Retries int
	// OnRateLimit is what it does with a 429.
	OnRateLimit gtRateLimit
}

// gtFacts is what the app did, by its own clock (the harness's clock: same process).
type gtFacts struct {
	FirstFailure time.Time // first primary failure since it was last healthy
	EverFailed   time.Time // first primary failure of the run
	FailedOverAt time.Time // when it went to the secondary for good (FailoverDelay policy)
	ProbeOKAt    time.Time // first successful probe while failed over
	FailedBackAt time.Time // when it went back to the primary
	LastRefusal  time.Time // the last 502 it answered because of its policy
	Refusals     int
}

// gtApp is the app under test.
type gtApp struct {
	policy gtPolicy
	tr     *http.Transport
	client *http.Client

	mu         sync.Mutex
	facts      gtFacts
	failedOver bool
	lastProbe  time.Time
	probing    bool
}

func newGTApp(p gtPolicy) *gtApp {
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

// gtAnswer is one upstream call's outcome.
type gtAnswer struct {
	status int
	header http.Header
	body   []byte
	err    error
}

// failed is a connection error or a 5xx: what makes the app fail over.
func (r gtAnswer) failed() bool { return r.err != nil || r.status >= 500 }

func (r gtAnswer) ok() bool { return r.err == nil && r.status/100 == 2 }

func (a *gtApp) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost || r.URL.Path != "/v1/chat/completions" {
		http.NotFound(w, r)
		return
	}
	body, err := io.ReadAll(r.Body)
	if err != nil {
		http.Error(w, "read the request: "+err.Error(), http.StatusBadRequest)
		return
	}
	ctx, id := r.Context(), r.Header.Get("X-Request-Id")
	primary, secondary := r.Header.Get("x-primary"), r.Header.Get("x-secondary")

	if a.onSecondary(ctx, primary) {
		a.relay(w, a.call(ctx, secondary, body, id))
		return
	}
	began := time.Now()
	ans := a.callPrimary(ctx, primary, body, id)
	switch {
	case ans.ok():
		a.primaryHealthy(began)
		a.relay(w, ans)
	case ans.failed() && a.failOver(time.Now()):
		a.relay(w, a.call(ctx, secondary, body, id))
	default:
		a.refuse(w)
	}
}

// callPrimary calls the primary, retrying a 5xx Retries times at once and a 429 once
// as OnRateLimit says.
func (a *gtApp) callPrimary(ctx context.Context, primary string, body []byte, id string) gtAnswer {
	ans := a.call(ctx, primary, body, id)
	for i := 0; i < a.policy.Retries && ans.err == nil && ans.status >= 500; i++ {
		ans = a.call(ctx, primary, body, id)
	}
	if ans.err != nil || ans.status != http.StatusTooManyRequests {
		return ans
	}
	switch a.policy.OnRateLimit {
	case gtRetryAtOnce:
		return a.call(ctx, primary, body, id)
	case gtHonour:
		t := time.NewTimer(gtRetryAfter(ans.header))
		defer t.Stop()
		select {
		case <-t.C:
			return a.call(ctx, primary, body, id)
		case <-ctx.Done():
			return gtAnswer{err: ctx.Err()}
		}
	}
	return ans
}

// gtRetryAfter reads retry-after-ms, else Retry-After in seconds.
func gtRetryAfter(h http.Header) time.Duration {
	if ms, err := strconv.Atoi(h.Get("retry-after-ms")); err == nil && ms > 0 {
		return time.Duration(ms) * time.Millisecond
	}
	if s, err := strconv.Atoi(h.Get("Retry-After")); err == nil && s > 0 {
		return time.Duration(s) * time.Second
	}
	return 0
}

// primaryHealthy notes a primary success for a call that began at began: a success that
// began after the first failure proves the primary healthy again.
func (a *gtApp) primaryHealthy(began time.Time) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if !a.facts.FirstFailure.IsZero() && began.After(a.facts.FirstFailure) {
		a.facts.FirstFailure = time.Time{}
	}
}

// failOver notes a primary failure at now and says whether this request goes to the
// secondary.
func (a *gtApp) failOver(now time.Time) bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.facts.FirstFailure.IsZero() {
		a.facts.FirstFailure = now
	}
	if a.facts.EverFailed.IsZero() {
		a.facts.EverFailed = now
	}
	since := now.Sub(a.facts.FirstFailure)
	switch {
	case a.policy.NeverFailOver:
		return false
	case a.policy.Flap > 0:
		return (since/a.policy.Flap)%2 == 1
	case since >= a.policy.FailoverDelay:
		if !a.failedOver {
			a.failedOver = true
			a.facts.FailedOverAt = now
			a.facts.ProbeOKAt, a.facts.FailedBackAt = time.Time{}, time.Time{}
		}
		return true
	}
	return false
}

// onSecondary says whether the app is failed over, probing the primary (at most every
// gtProbeEvery) and going back to it FailbackDelay after the first successful probe.
func (a *gtApp) onSecondary(ctx context.Context, primary string) bool {
	a.mu.Lock()
	if !a.failedOver {
		a.mu.Unlock()
		return false
	}
	if a.policy.NeverFailBack {
		a.mu.Unlock()
		return true
	}
	now := time.Now()
	if a.backAt(now) {
		a.mu.Unlock()
		return false
	}
	probe := !a.probing && now.Sub(a.lastProbe) >= gtProbeEvery
	if probe {
		a.probing, a.lastProbe = true, now
	}
	a.mu.Unlock()
	if !probe {
		return true
	}
	ok := a.probe(ctx, primary)
	a.mu.Lock()
	defer a.mu.Unlock()
	a.probing = false
	if !ok {
		a.facts.ProbeOKAt = time.Time{}
		return a.failedOver
	}
	if a.facts.ProbeOKAt.IsZero() {
		a.facts.ProbeOKAt = time.Now()
	}
	return !a.backAt(time.Now())
}

// backAt goes back to the primary when FailbackDelay has passed since the first
// successful probe, and reports whether the app is on the primary. a.mu is held.
func (a *gtApp) backAt(now time.Time) bool {
	if !a.failedOver {
		return true
	}
	if a.facts.ProbeOKAt.IsZero() || now.Sub(a.facts.ProbeOKAt) < a.policy.FailbackDelay {
		return false
	}
	a.failedOver = false
	a.facts.FailedBackAt = now
	a.facts.FirstFailure = time.Time{}
	return true
}

// probe asks the primary for a small completion (no correlation id).
func (a *gtApp) probe(ctx context.Context, primary string) bool {
	ctx, cancel := context.WithTimeout(ctx, gtProbeTimeout)
	defer cancel()
	return a.call(ctx, primary, []byte(`{"model":"probe","messages":[{"role":"user","content":"probe"}]}`), "").ok()
}

// call POSTs body to base's /v1/chat/completions with the correlation id.
func (a *gtApp) call(ctx context.Context, base string, body []byte, id string) gtAnswer {
	ctx, cancel := context.WithTimeout(ctx, gtCallTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, base+"/v1/chat/completions", bytes.NewReader(body))
	if err != nil {
		return gtAnswer{err: err}
	}
	req.Header.Set("Content-Type", "application/json")
	if id != "" {
		req.Header.Set("X-Request-Id", id)
	}
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

// refuse answers 502 because of the policy (still waiting to fail over, flapping, never).
func (a *gtApp) refuse(w http.ResponseWriter) {
	a.mu.Lock()
	a.facts.LastRefusal = time.Now()
	a.facts.Refusals++
	a.mu.Unlock()
	http.Error(w, "primary failed", http.StatusBadGateway)
}
