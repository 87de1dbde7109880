package main

import (
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/onsi/gomega"

	"github.com/llmchaos/llmchaos/examples/internal/apptest"
	"github.com/llmchaos/llmchaos/mocks/control"
	"github.com/llmchaos/llmchaos/mocks/llm"
)

func TestServesThroughPrimary(t *testing.T) {
	e := newEnv(t, nil)
	for _, stream := range []bool{false, true} {
		id := fmt.Sprintf("ok-%v", stream)
		r := ask(t, e.url, id, stream)
		mustServe(t, r, "primary", id, stream)
		apptest.EventuallyAttemptsFor(t, e.primary, id, 1)
		if n := len(apptest.Settled(t, e.secondary)); n != 0 {
			t.Errorf("%s: secondary saw %d attempts, want 0", id, n)
		}
	}
}

func TestFailsOverToSecondary(t *testing.T) {
	cases := []struct {
		name    string
		setup   func(t *testing.T, e *env)
		refused bool
	}{
		{name: "refused", refused: true},
		{name: "500", setup: func(t *testing.T, e *env) {
			apptest.SetFault(t, e.primary, control.Fault{Type: control.TypeStatus, Status: 500})
		}},
		{name: "529", setup: func(t *testing.T, e *env) {
			apptest.SetFault(t, e.primary, control.Fault{Type: control.TypeStatus, Status: 529})
		}},
		{name: "429-long-retry-after", setup: func(t *testing.T, e *env) {
			apptest.SetFault(t, e.primary, control.Fault{Type: control.TypeStatus, Status: 429, RetryAfter: control.Duration(30 * time.Second)})
		}},
		{name: "hang", setup: func(t *testing.T, e *env) {
			apptest.SetFault(t, e.primary, control.Fault{Type: control.TypeHang})
		}},
		{name: "truncate-before-first-content", setup: func(t *testing.T, e *env) {
			apptest.SetFault(t, e.primary, control.Fault{Type: control.TypeTruncate, AfterChunks: 0})
		}},
	}
	for _, tc := range cases {
		for _, stream := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s/stream=%v", tc.name, stream), func(t *testing.T) {
				e := newEnv(t, func(c *Config) {
					if tc.refused {
						c.PrimaryURL = apptest.ClosedURL(t)
					}
				})
				if tc.setup != nil {
					tc.setup(t, e)
				}
				id := "fo-" + tc.name
				r := ask(t, e.url, id, stream)
				mustServe(t, r, "secondary", id, stream)
				// Failover costs at most one attempt timeout (400ms) plus slack for a busy machine.
				if r.Latency > 2*time.Second {
					t.Errorf("failover took %v", r.Latency)
				}
				apptest.EventuallyAttemptsFor(t, e.secondary, id, 1)
			})
		}
	}
}

func TestLongRetryAfterKeepsPrimaryQuiet(t *testing.T) {
	e := newEnv(t, nil)
	apptest.SetFault(t, e.primary, control.Fault{Type: control.TypeStatus, Status: 429, RetryAfter: control.Duration(30 * time.Second)})
	for i := range 4 {
		id := fmt.Sprintf("ra-%d", i)
		mustServe(t, ask(t, e.url, id, true), "secondary", id, true)
	}
	// The first request learnt Retry-After: 30s; nobody may call the primary before then.
	if n := len(apptest.Settled(t, e.primary)); n != 1 {
		t.Fatalf("primary saw %d attempts, want 1 (Retry-After must be honoured across requests)", n)
	}
}

func TestRetriesSameUpstreamNoSoonerThanAsked(t *testing.T) {
	e := newEnv(t, func(c *Config) { c.SecondaryURL = "" })
	wait := 300 * time.Millisecond
	apptest.SetFault(t, e.primary, control.Fault{Type: control.TypeStatus, Status: 429, RetryAfter: control.Duration(wait),
		RetryAfterAs: control.RetryAfterMs, Scope: control.Scope{FirstN: 1}})
	mustServe(t, ask(t, e.url, "ra-ms", false), "primary", "ra-ms", false)
	at := apptest.Settled(t, e.primary)
	if len(at) != 2 {
		t.Fatalf("primary saw %d attempts, want 2 (one 429, one retry)", len(at))
	}
	if gap := at[1].Arrived.Sub(at[0].Arrived); gap < wait {
		t.Fatalf("retry came %v after the 429, sooner than the %v asked", gap, wait)
	}
}

func TestShouldRetryFalseIsHonoured(t *testing.T) {
	e := newEnv(t, func(c *Config) { c.SecondaryURL = "" })
	no := false
	apptest.SetFault(t, e.primary, control.Fault{Type: control.TypeStatus, Status: 500, ShouldRetry: &no})
	r := ask(t, e.url, "noretry", false)
	if r.Status != http.StatusBadGateway {
		t.Fatalf("status %d, want 502: %s", r.Status, r.Text)
	}
	if n := len(apptest.Settled(t, e.primary)); n != 1 {
		t.Fatalf("primary saw %d attempts, want 1 (x-should-retry: false)", n)
	}
}

func TestRetryBudgetPreventsStorm(t *testing.T) {
	e := newEnv(t, func(c *Config) {
		c.SecondaryURL = ""
		c.RetryBurst = 2
		c.RetryRatio = 0.1
		c.BreakerFailures = 1000 // keep the breaker out of it
	})
	apptest.SetFault(t, e.primary, control.Fault{Type: control.TypeStatus, Status: 503})
	const n = 10
	for i := range n {
		if r := ask(t, e.url, fmt.Sprintf("storm-%d", i), false); r.Status != http.StatusBadGateway {
			t.Fatalf("status %d, want 502", r.Status)
		}
	}
	// 10 requests, a bucket of 2 plus 0.1 per request: at most 2 + 1 retries.
	if got := len(apptest.Settled(t, e.primary)); got > n+3 {
		t.Fatalf("primary saw %d attempts for %d requests: retry budget not enforced", got, n)
	}
}

func TestStreamCutAfterFirstByteIsNotPassedOnAsComplete(t *testing.T) {
	for _, typ := range []control.FaultType{control.TypeTruncate, control.TypeStreamError, control.TypeStall, control.TypeMalformed} {
		t.Run(string(typ), func(t *testing.T) {
			e := newEnv(t, nil)
			f := control.Fault{Type: typ, AfterChunks: 5}
			if typ == control.TypeStall {
				f.AfterChunks = 0 // a stall takes no after_chunks: it stops after the first token
			}
			apptest.SetFault(t, e.primary, f)
			r := ask(t, e.url, "cut", true)
			if r.Status != http.StatusOK {
				t.Fatalf("status %d, want 200 (the stream had started)", r.Status)
			}
			if r.Done {
				t.Fatalf("cut stream ended with [DONE]: passed on as complete")
			}
			if !r.ErrFrame {
				t.Fatalf("cut stream carried no error frame")
			}
			if _, err := llm.Verify(r.Text); err == nil {
				t.Fatalf("cut stream's text verifies as whole: %q", r.Text)
			}
			if got := llm.ServedBy(r.Text); got != "primary" {
				t.Fatalf("cut stream served by %q, want primary", got)
			}
		})
	}
}

func TestBreakerOpensAndFailsBack(t *testing.T) {
	e := newEnv(t, nil) // 3 consecutive failures open it for 300ms
	id := apptest.SetFault(t, e.primary, control.Fault{Type: control.TypeStatus, Status: 500})
	for i := range 6 {
		rid := fmt.Sprintf("open-%d", i)
		mustServe(t, ask(t, e.url, rid, true), "secondary", rid, true)
	}
	if n := len(apptest.Settled(t, e.primary)); n != 3 {
		t.Fatalf("primary saw %d attempts, want 3: the breaker should open after 3 failures", n)
	}
	e.primary.ClearFault(id)
	i := 0
	gomega.NewWithT(t).Eventually(func() string {
		rid := fmt.Sprintf("back-%d", i)
		i++
		r := ask(t, e.url, rid, true)
		upstream := r.Header.Get("X-Upstream")
		if upstream != "primary" {
			upstream = "secondary"
		}
		mustServe(t, r, upstream, rid, true)
		return upstream
	}).WithTimeout(5*time.Second).WithPolling(20*time.Millisecond).
		Should(gomega.Equal("primary"), "the gateway never failed back to the primary")
	for i := range 3 {
		rid := fmt.Sprintf("after-%d", i)
		mustServe(t, ask(t, e.url, rid, false), "primary", rid, false)
	}
}
