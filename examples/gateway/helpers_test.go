package main

import (
	"context"
	"io"
	"log/slog"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/llmchaos/llmchaos/examples/internal/apptest"
	"github.com/llmchaos/llmchaos/mocks/llm"
	"github.com/llmchaos/llmchaos/mocks/store"
)

// env is a gateway in front of mock upstreams, all on loopback.
type env struct {
	primary, secondary *llm.Server
	store              *store.Store
	cfg                Config
	srv                *server
	url                string
}

// testConfig has timeouts short enough for tests.
func testConfig() Config {
	c := DefaultConfig()
	c.AttemptTimeout = 400 * time.Millisecond
	c.StreamIdle = 400 * time.Millisecond
	c.AttemptTotal = 5 * time.Second
	c.BreakerOpen = 300 * time.Millisecond
	c.StoreTimeout = 200 * time.Millisecond
	return c
}

// newEnv starts mocks and a gateway; edit adjusts the config before the gateway starts
// (URLs are already filled in: primary, secondary, store; no telemetry).
func newEnv(t *testing.T, edit func(*Config)) *env {
	t.Helper()
	e := &env{
		primary:   apptest.NewLLM(t, "primary"),
		secondary: apptest.NewLLM(t, "secondary"),
		store:     apptest.NewStore(t),
	}
	e.cfg = testConfig()
	e.cfg.PrimaryURL = apptest.ServeMock(t, e.primary)
	e.cfg.SecondaryURL = apptest.ServeMock(t, e.secondary)
	e.cfg.StoreURL = apptest.ServeMock(t, e.store)
	if edit != nil {
		edit(&e.cfg)
	}
	srv, err := newServer(e.cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	e.srv = srv
	ts := httptest.NewServer(srv)
	t.Cleanup(func() {
		ts.Close()
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		_ = srv.Close(ctx)
	})
	e.url = ts.URL
	return e
}

// reply is what a client saw from one request.
type reply = apptest.Reply

// ask sends one chat completion carrying correlation id id and reads the whole answer.
func ask(t *testing.T, base, id string, stream bool) reply {
	t.Helper()
	return askWith(t, base, "user-"+id, id, stream)
}

// askWith is ask with an explicit user; a client error fails the test.
func askWith(t *testing.T, base, user, id string, stream bool) reply {
	t.Helper()
	r := apptest.Ask(t, base, user, id, stream, 20*time.Second)
	if r.ClientErr != nil {
		t.Fatalf("request %s: %v", id, r.ClientErr)
	}
	return r
}

// mustServe is apptest.MustServe, and the gateway names the upstream in X-Upstream.
func mustServe(t *testing.T, r reply, upstream, id string, stream bool) {
	t.Helper()
	apptest.MustServe(t, r, upstream, id, stream)
	if got := r.Header.Get("X-Upstream"); got != upstream {
		t.Fatalf("request %s: X-Upstream %q, want %q", id, got, upstream)
	}
}
