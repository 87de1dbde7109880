package main

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"testing"
	"time"

	"github.com/llmchaos/llmchaos/examples/internal/apptest"
)

func TestConfigFromEnv(t *testing.T) {
	env := map[string]string{
		"PRIMARY_URL":         "http://127.0.0.1:1/",
		"ATTEMPT_TIMEOUT":     "250ms",
		"STREAM_IDLE_TIMEOUT": "700",
		"BREAKER_FAILURES":    "5",
		"RETRY_BUDGET":        "0.5",
	}
	c, err := ConfigFromEnv(func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	if c.PrimaryURL != "http://127.0.0.1:1" || c.AttemptTimeout != 250*time.Millisecond ||
		c.StreamIdle != 700*time.Millisecond || c.BreakerFailures != 5 || c.RetryRatio != 0.5 {
		t.Fatalf("parsed %+v", c)
	}
	if c.ListenAddr != DefaultListenAddr || c.BreakerOpen != DefaultBreakerOpen || c.OpenAIKey != DefaultAPIKey {
		t.Fatalf("defaults not kept: %+v", c)
	}
	if _, err := ConfigFromEnv(func(string) string { return "" }); err == nil {
		t.Fatal("no error without PRIMARY_URL")
	}
	env["ATTEMPT_TIMEOUT"] = "soon"
	if _, err := ConfigFromEnv(func(k string) string { return env[k] }); err == nil {
		t.Fatal("no error for ATTEMPT_TIMEOUT=soon")
	}
}

func TestRunServesHealthzAndShutsDown(t *testing.T) {
	cfg := testConfig()
	cfg.PrimaryURL = apptest.ClosedURL(t)
	cfg.ListenAddr = "127.0.0.1:0"
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	ready := make(chan string, 1)
	errc := make(chan error, 1)
	go func() { errc <- run(ctx, cfg, slog.New(slog.NewTextHandler(io.Discard, nil)), ready) }()
	var addr string
	select {
	case addr = <-ready:
	case err := <-errc:
		t.Fatalf("run: %v", err)
	}
	resp, err := http.Get("http://" + addr + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("healthz %d", resp.StatusCode)
	}
	cancel()
	select {
	case err := <-errc:
		if err != nil {
			t.Fatalf("run after shutdown: %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("run did not return after its context ended")
	}
}
