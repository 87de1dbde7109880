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

// env is the naive app in front of mock upstreams, all on loopback.
type env struct {
	primary *llm.Server
	store   *store.Store
	cfg     Config
	srv     *server
	url     string
}

// newEnv starts mocks and the naive app; edit adjusts the config before the app starts
// (URLs are already filled in: primary, store; no telemetry).
func newEnv(t *testing.T, edit func(*Config)) *env {
	t.Helper()
	e := &env{
		primary: apptest.NewLLM(t, "primary"),
		store:   apptest.NewStore(t),
	}
	e.cfg = Config{ListenAddr: "127.0.0.1:0", OpenAIKey: DefaultAPIKey}
	e.cfg.PrimaryURL = apptest.ServeMock(t, e.primary)
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
	return apptest.Ask(t, base, "user-"+id, id, stream, 20*time.Second)
}
