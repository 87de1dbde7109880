package main

import (
	"fmt"
	"testing"
	"time"

	"github.com/onsi/gomega"

	"github.com/llmchaos/llmchaos/examples/internal/apptest"
	"github.com/llmchaos/llmchaos/mocks/control"
)

func TestHistoryIsKeptAndPrepended(t *testing.T) {
	e := newEnv(t, nil)
	r := ask(t, e.url, "h1", false)
	mustServe(t, r, "primary", "h1", false)
	if got := r.Header.Get("X-Degraded"); got != "" {
		t.Fatalf("X-Degraded %q with a healthy store", got)
	}
	waitHistory(t, e, "user-h1", 3) // system, user, assistant
	// The second request with the same user carries the first exchange in front of it,
	// so the saved history grows by the new exchange on top of the old one.
	mustServe(t, askAs(t, e.url, "h1", "h1b"), "primary", "h1b", false)
	waitHistory(t, e, "user-h1", 6)
	h := e.store.History("user-h1")
	if h.Messages[2].Role != "assistant" || h.Messages[5].Role != "assistant" {
		t.Fatalf("history out of order: %+v", h.Messages)
	}
}

func TestDegradedWithoutStore(t *testing.T) {
	cases := map[string]func(t *testing.T, e *env){
		"refused": nil,
		"500":     func(t *testing.T, e *env) { mustStoreFault(t, e, control.Fault{Type: control.TypeStatus, Status: 500}) },
		"hang":    func(t *testing.T, e *env) { mustStoreFault(t, e, control.Fault{Type: control.TypeHang}) },
	}
	for name, setup := range cases {
		t.Run(name, func(t *testing.T) {
			e := newEnv(t, func(c *Config) {
				if setup == nil {
					c.StoreURL = apptest.ClosedURL(t)
				}
			})
			if setup != nil {
				setup(t, e)
			}
			for _, stream := range []bool{false, true} {
				id := fmt.Sprintf("deg-%s-%v", name, stream)
				r := ask(t, e.url, id, stream)
				mustServe(t, r, "primary", id, stream)
				if got := r.Header.Get("X-Degraded"); got != "history" {
					t.Fatalf("X-Degraded %q, want history", got)
				}
				// The store GET is bounded by STORE_TIMEOUT (200ms here).
				if r.Latency > 1500*time.Millisecond {
					t.Fatalf("degraded answer took %v", r.Latency)
				}
			}
		})
	}
}

func mustStoreFault(t *testing.T, e *env, f control.Fault) {
	t.Helper()
	if _, err := e.store.SetFault(f); err != nil {
		t.Fatal(err)
	}
}

// waitHistory waits until the store holds n messages for user (the PUT is asynchronous).
func waitHistory(t *testing.T, e *env, user string, n int) {
	t.Helper()
	gomega.NewWithT(t).Eventually(func() int { return len(e.store.History(user).Messages) }).
		WithTimeout(5*time.Second).WithPolling(5*time.Millisecond).
		Should(gomega.Equal(n), "messages the store holds for %s", user)
}

// askAs is ask with the user of correlation id userID but the tag of id.
func askAs(t *testing.T, base, userID, id string) reply {
	t.Helper()
	return askWith(t, base, "user-"+userID, id, false)
}
