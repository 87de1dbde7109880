package main

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"go.opentelemetry.io/otel/trace"
)

// server is the gateway: an http.Handler serving POST /v1/chat/completions and GET /healthz.
type server struct {
	cfg      Config
	log      *slog.Logger
	ups      []*upstream // in order of preference (cfg.ProviderOrder)
	budget   *retryBudget
	history  historyStore // nil without a store
	tracer   trace.Tracer
	shutdown func(context.Context) error
	bg       sync.WaitGroup // history writes in flight
	mux      *http.ServeMux
}

var _ http.Handler = (*server)(nil)

// newServer returns the gateway for cfg, logging to log. Close it to flush telemetry
// and wait for history writes.
func newServer(cfg Config, log *slog.Logger) (*server, error) {
	tracer, shutdown, err := newTracing(cfg)
	if err != nil {
		return nil, err
	}
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxIdleConnsPerHost = 256
	hc := &http.Client{Transport: tr} // no client timeout: every attempt has its own deadline
	s := &server{
		cfg: cfg, log: log, tracer: tracer, shutdown: shutdown,
		budget: newRetryBudget(cfg.RetryRatio, cfg.RetryBurst),
		mux:    http.NewServeMux(),
	}
	for _, p := range providers(cfg, hc) {
		s.ups = append(s.ups, newUpstream(p, cfg, log))
	}
	if len(s.ups) == 0 {
		return nil, fmt.Errorf("config: PROVIDER_ORDER %v names no configured provider: give primary (PRIMARY_URL) or set SECONDARY_URL / TERTIARY_URL", cfg.ProviderOrder)
	}
	switch {
	case cfg.RedisAddr != "":
		s.history = newRedisHistory(cfg.RedisAddr, cfg.StoreTimeout, cfg.HistoryLimit)
	case cfg.StoreURL != "":
		s.history = &historyClient{base: cfg.StoreURL, hc: &http.Client{Transport: tr}, limit: cfg.HistoryLimit}
	}
	s.mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		_, _ = w.Write([]byte("ok\n"))
	})
	s.mux.HandleFunc("POST /v1/chat/completions", s.handleChat)
	s.mux.HandleFunc("POST /v1/responses", s.handleResponses)
	return s, nil
}

func (s *server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.mux.ServeHTTP(w, r) }

// Close waits for history writes and flushes telemetry, both bounded by ctx.
func (s *server) Close(ctx context.Context) error {
	done := make(chan struct{})
	go func() { s.bg.Wait(); close(done) }()
	select {
	case <-done:
	case <-ctx.Done():
	}
	return s.shutdown(ctx)
}

// loadHistory returns the user's history, or marks the response degraded when the store
// cannot give it in time.
func (s *server) loadHistory(ctx context.Context, w http.ResponseWriter, meta requestMeta) ([]chatMessage, bool) {
	if s.history == nil || meta.user == "" {
		return nil, false
	}
	hctx, cancel := context.WithTimeout(ctx, s.cfg.StoreTimeout)
	defer cancel()
	msgs, err := s.history.get(hctx, meta.user)
	if err != nil {
		w.Header().Set("X-Degraded", "history")
		s.log.Warn("degraded: answering without history", "request_id", meta.requestID, "err", err)
		return nil, true
	}
	return msgs, false
}

// saveHistory writes the user's updated history off the request path.
func (s *server) saveHistory(meta requestMeta, msgs []chatMessage) {
	if s.history == nil || meta.user == "" {
		return
	}
	s.bg.Add(1)
	go func() {
		defer s.bg.Done()
		ctx, cancel := context.WithTimeout(context.Background(), 3*s.cfg.StoreTimeout)
		defer cancel()
		if err := s.history.put(ctx, meta.user, msgs); err != nil {
			s.log.Warn("history not saved", "request_id", meta.requestID, "err", err)
		}
	}()
}

// providers returns the configured providers in cfg.ProviderOrder (one whose URL is
// empty is left out).
func providers(cfg Config, hc *http.Client) []provider {
	var ps []provider
	for _, name := range cfg.ProviderOrder {
		switch {
		case name == "primary":
			ps = append(ps, newOpenAIProvider("primary", cfg.PrimaryURL, cfg.OpenAIKey, hc))
		case name == "secondary" && cfg.SecondaryURL != "":
			ps = append(ps, newAnthropicProvider("secondary", cfg.SecondaryURL, cfg.AnthropicKey, cfg.SecondaryModel, cfg.MaxTokens, hc))
		case name == "tertiary" && cfg.TertiaryURL != "" && cfg.TertiaryKind == KindBedrock:
			ps = append(ps, newBedrockProvider("tertiary", cfg, hc))
		case name == "tertiary" && cfg.TertiaryURL != "":
			ps = append(ps, newAzureProvider("tertiary", cfg, hc))
		}
	}
	return ps
}

// since is a helper for span timings in milliseconds.
func since(t time.Time) int64 { return time.Since(t).Milliseconds() }
