package main

import (
	"fmt"
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"github.com/llmchaos/llmchaos/examples/internal/apptest"
	"github.com/llmchaos/llmchaos/mocks/control"
	"github.com/llmchaos/llmchaos/mocks/llm"
)

func TestServesNormally(t *testing.T) {
	e := newEnv(t, nil)
	for _, stream := range []bool{false, true} {
		id := fmt.Sprintf("ok-%v", stream)
		apptest.MustServe(t, ask(t, e.url, id, stream), "primary", id, stream)
		apptest.EventuallyAttemptsFor(t, e.primary, id, 1)
	}
	if n := len(e.store.History("user-ok-true").Messages); n != 3 {
		t.Errorf("store holds %d messages after the exchange, want 3", n)
	}
}

func TestFailsWhenPrimaryIsDown(t *testing.T) {
	t.Run("refused", func(t *testing.T) {
		e := newEnv(t, func(c *Config) { c.PrimaryURL = apptest.ClosedURL(t) })
		if r := ask(t, e.url, "down", false); r.Status != http.StatusBadGateway {
			t.Fatalf("status %d (%v), want 502", r.Status, r.ClientErr)
		}
	})
	t.Run("500-retried-by-sdk", func(t *testing.T) {
		e := newEnv(t, nil)
		apptest.SetFault(t, e.primary, control.Fault{Type: control.TypeStatus, Status: 500})
		if r := ask(t, e.url, "five", true); r.Status != http.StatusBadGateway {
			t.Fatalf("status %d (%v), want 502", r.Status, r.ClientErr)
		}
		// SDK defaults: 2 retries, so every request costs the failing provider 3 attempts.
		apptest.EventuallyAttemptsFor(t, e.primary, "five", 3)
	})
	t.Run("hang-until-client-gives-up", func(t *testing.T) {
		e := newEnv(t, nil)
		apptest.SetFault(t, e.primary, control.Fault{Type: control.TypeHang})
		r := apptest.Ask(t, e.url, "user-hang", "hang", true, 500*time.Millisecond)
		if r.ClientErr == nil {
			t.Fatalf("got status %d; want the client to time out (no timeout in the app)", r.Status)
		}
	})
}

func TestRelaysCutStreamAsComplete(t *testing.T) {
	// The documented bug: openai-go ends a cut stream without error, and the app then
	// sends [DONE]; the client sees a "complete" stream whose answer is cut.
	e := newEnv(t, nil)
	apptest.SetFault(t, e.primary, control.Fault{Type: control.TypeTruncate, AfterChunks: 5})
	r := ask(t, e.url, "cut", true)
	if r.Status != http.StatusOK || !r.Done || r.ErrFrame {
		t.Fatalf("status %d done=%v errFrame=%v: want 200 with [DONE] (the bug)", r.Status, r.Done, r.ErrFrame)
	}
	if _, err := llm.Verify(r.Text); err == nil {
		t.Fatalf("text verifies as whole, but the primary cut it: %q", r.Text)
	}
}

func TestFailsWhenStoreIsDown(t *testing.T) {
	e := newEnv(t, func(c *Config) { c.StoreURL = apptest.ClosedURL(t) })
	for _, stream := range []bool{false, true} {
		if r := ask(t, e.url, fmt.Sprintf("nostore-%v", stream), stream); r.Status != http.StatusBadGateway {
			t.Fatalf("stream=%v: status %d (%v), want 502", stream, r.Status, r.ClientErr)
		}
	}
	if n := len(apptest.Settled(t, e.primary)); n != 0 {
		t.Fatalf("primary saw %d attempts; the app should give up before calling it", n)
	}
}

func TestSlowCollectorSlowsRequests(t *testing.T) {
	const delay = 300 * time.Millisecond
	var exports atomic.Int64
	url := apptest.ServeMock(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		exports.Add(1)
		select {
		case <-time.After(delay): // a slow collector
		case <-r.Context().Done():
		}
		w.Header().Set("Content-Type", "application/x-protobuf")
	}))
	e := newEnv(t, func(c *Config) { c.OTLPEndpoint = url })
	for _, stream := range []bool{false, true} {
		id := fmt.Sprintf("slow-%v", stream)
		r := ask(t, e.url, id, stream)
		apptest.MustServe(t, r, "primary", id, stream)
		if r.Latency < delay {
			t.Fatalf("stream=%v: latency %v below the collector's %v: export not in the request path", stream, r.Latency, delay)
		}
	}
	if n := exports.Load(); n < 2 {
		t.Fatalf("collector saw %d exports, want one per request", n)
	}
}
