package main

import (
	"fmt"
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"github.com/llmchaos/llmchaos/mocks/control"
	"github.com/llmchaos/llmchaos/mocks/llm"
)

func TestServesNormally(t *testing.T) {
	e := newEnv(t, nil)
	for _, stream := range []bool{false, true} {
		id := fmt.Sprintf("ok-%v", stream)
		mustServe(t, ask(t, e.url, id, stream), "primary", id, stream)
		if n := attemptsFor(e.primary, id); n != 1 {
			t.Errorf("%s: primary saw %d attempts carrying the id, want 1", id, n)
		}
	}
	if n := len(e.store.History("user-ok-true").Messages); n != 3 {
		t.Errorf("store holds %d messages after the exchange, want 3", n)
	}
}

func TestFailsWhenPrimaryIsDown(t *testing.T) {
	t.Run("refused", func(t *testing.T) {
		e := newEnv(t, func(c *Config) { c.PrimaryURL = closedURL(t) })
		if r := ask(t, e.url, "down", false); r.status != http.StatusBadGateway {
			t.Fatalf("status %d (%v), want 502", r.status, r.clientErr)
		}
	})
	t.Run("500-retried-by-sdk", func(t *testing.T) {
		e := newEnv(t, nil)
		fault(t, e.primary, control.Fault{Mode: control.ModeStatus, Status: 500})
		if r := ask(t, e.url, "five", true); r.status != http.StatusBadGateway {
			t.Fatalf("status %d (%v), want 502", r.status, r.clientErr)
		}
		// SDK defaults: 2 retries, so every request costs the failing provider 3 attempts.
		if n := attemptsFor(e.primary, "five"); n != 3 {
			t.Fatalf("primary saw %d attempts, want 3 (SDK default retries)", n)
		}
	})
	t.Run("hang-until-client-gives-up", func(t *testing.T) {
		e := newEnv(t, nil)
		fault(t, e.primary, control.Fault{Mode: control.ModeHang})
		r := askWith(t, e.url, "user-hang", "hang", true, 500*time.Millisecond)
		if r.clientErr == nil {
			t.Fatalf("got status %d; want the client to time out (no timeout in the app)", r.status)
		}
	})
}

func TestRelaysCutStreamAsComplete(t *testing.T) {
	// The documented bug: openai-go ends a cut stream without error, and the app then
	// sends [DONE]; the client sees a "complete" stream whose answer is cut.
	e := newEnv(t, nil)
	fault(t, e.primary, control.Fault{Mode: control.ModeTruncate, AfterChunks: 5})
	r := ask(t, e.url, "cut", true)
	if r.status != http.StatusOK || !r.done || r.errFrame {
		t.Fatalf("status %d done=%v errFrame=%v: want 200 with [DONE] (the bug)", r.status, r.done, r.errFrame)
	}
	if _, err := llm.Verify(r.text); err == nil {
		t.Fatalf("text verifies as whole, but the primary cut it: %q", r.text)
	}
}

func TestFailsWhenStoreIsDown(t *testing.T) {
	e := newEnv(t, func(c *Config) { c.StoreURL = closedURL(t) })
	for _, stream := range []bool{false, true} {
		if r := ask(t, e.url, fmt.Sprintf("nostore-%v", stream), stream); r.status != http.StatusBadGateway {
			t.Fatalf("stream=%v: status %d (%v), want 502", stream, r.status, r.clientErr)
		}
	}
	if n := len(e.primary.Journal().Attempts()); n != 0 {
		t.Fatalf("primary saw %d attempts; the app should give up before calling it", n)
	}
}

func TestSlowCollectorSlowsRequests(t *testing.T) {
	const delay = 300 * time.Millisecond
	var exports atomic.Int64
	url := serveMock(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
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
		mustServe(t, r, "primary", id, stream)
		if r.latency < delay {
			t.Fatalf("stream=%v: latency %v below the collector's %v: export not in the request path", stream, r.latency, delay)
		}
	}
	if n := exports.Load(); n < 2 {
		t.Fatalf("collector saw %d exports, want one per request", n)
	}
}
