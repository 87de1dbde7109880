// Command gateway is llmchaos's reference resilient app under test: an OpenAI-compatible
// chat completions gateway in front of a primary (OpenAI format) and a secondary
// (Anthropic format) provider, with per-attempt timeouts, circuit breakers, failover
// before the first byte, a Retry-After-aware retry budget, non-blocking telemetry and
// degraded mode when the history store fails. Configured by environment only (see Config).
package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"
)

func main() {
	log := slog.New(slog.NewTextHandler(os.Stderr, nil))
	cfg, err := ConfigFromEnv(os.Getenv)
	if err != nil {
		log.Error("bad configuration", "err", err)
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, os.Interrupt)
	defer stop()
	if err := run(ctx, cfg, log, nil); err != nil {
		log.Error("gateway stopped", "err", err)
		os.Exit(1)
	}
}

// run serves the gateway on cfg.ListenAddr until ctx ends, then drains in-flight
// requests within cfg.ShutdownTimeout. When ready is not nil it receives the bound address.
func run(ctx context.Context, cfg Config, log *slog.Logger, ready chan<- string) error {
	srv, err := newServer(cfg, log)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", cfg.ListenAddr)
	if err != nil {
		_ = srv.Close(context.Background())
		return fmt.Errorf("listen on %s: %w (set LISTEN_ADDR to a free address)", cfg.ListenAddr, err)
	}
	hs := &http.Server{Handler: srv, ReadHeaderTimeout: 10 * time.Second}
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	log.Info("gateway listening", "addr", ln.Addr().String(), "secondary", cfg.SecondaryURL != "",
		"telemetry", cfg.OTLPEndpoint != "", "history", cfg.StoreURL != "")
	if ready != nil {
		ready <- ln.Addr().String()
	}
	select {
	case err := <-errc:
		_ = srv.Close(context.Background())
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	log.Info("shutting down")
	sctx, cancel := context.WithTimeout(context.Background(), cfg.ShutdownTimeout)
	defer cancel()
	err = hs.Shutdown(sctx)
	if cerr := srv.Close(sctx); err == nil {
		err = cerr
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return fmt.Errorf("shutdown did not finish in %s: %w", cfg.ShutdownTimeout, err)
	}
	return err
}
