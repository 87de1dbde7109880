package proxy

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sync"

	toxiproxy "github.com/Shopify/toxiproxy/v2"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/rs/zerolog"

	"github.com/llmchaos/llmchaos/harness/fault"
)

// Embedded is a Toxiproxy server running in this process. It has no HTTP API
// listener of its own: proxies and toxics are driven through its Go API.
type Embedded struct {
	srv *toxiproxy.ApiServer

	mu      sync.Mutex
	proxies map[string]*embeddedProxy
}

// NewEmbedded starts an in-process Toxiproxy whose logs go to logw (io.Discard when nil)
// at warn level and above.
func NewEmbedded(logw io.Writer) *Embedded {
	level := zerolog.WarnLevel
	if logw == nil {
		logw = io.Discard
		level = zerolog.Disabled
	}
	logger := zerolog.New(zerolog.SyncWriter(logw)).Level(level).With().Timestamp().Logger()
	// A real metrics container: a nil one panics when the first proxied connection closes.
	srv := toxiproxy.NewServer(toxiproxy.NewMetricsContainer(prometheus.NewRegistry()), logger)
	return &Embedded{srv: srv, proxies: map[string]*embeddedProxy{}}
}

// Routes is the server's HTTP API, for tests that need an "external" Toxiproxy.
func (e *Embedded) Routes() http.Handler { return e.srv.Routes() }

// Create starts a proxy called name in front of upstreamAddr on listen, or on a free
// loopback port when listen is "".
func (e *Embedded) Create(name, listen, upstreamAddr string) (Proxy, error) {
	p := toxiproxy.NewProxy(e.srv, name, cmp.Or(listen, "127.0.0.1:0"), upstreamAddr)
	if err := e.srv.Collection.Add(p, true); err != nil {
		return nil, fmt.Errorf("start embedded toxiproxy proxy %q to %s: %w", name, upstreamAddr, err)
	}
	p.Lock()
	listen = p.Listen
	p.Unlock()
	ep := &embeddedProxy{p: p, listen: listen}
	e.mu.Lock()
	e.proxies[name] = ep
	e.mu.Unlock()
	return ep, nil
}

// Remove stops and deletes the proxy called name.
func (e *Embedded) Remove(name string) error {
	e.mu.Lock()
	if ep := e.proxies[name]; ep != nil {
		ep.markRemoved()
	}
	delete(e.proxies, name)
	e.mu.Unlock()
	if err := e.srv.Collection.Remove(name); err != nil && !errors.Is(err, toxiproxy.ErrProxyNotFound) {
		return fmt.Errorf("remove embedded toxiproxy proxy %q: %w", name, err)
	}
	return nil
}

// Close stops every proxy and closes their connections: Shutdown alone would leave them running.
func (e *Embedded) Close() error {
	e.mu.Lock()
	for _, ep := range e.proxies {
		ep.markRemoved()
	}
	e.mu.Unlock()
	if err := e.srv.Collection.Clear(); err != nil {
		return fmt.Errorf("stop embedded toxiproxy proxies: %w", err)
	}
	return nil
}

// embeddedProxy is one proxy of an embedded Toxiproxy.
type embeddedProxy struct {
	p      *toxiproxy.Proxy
	listen string
	mu     sync.Mutex // serializes enable/disable
	gone   bool       // removed: never start again
}

func (e *embeddedProxy) markRemoved() {
	e.mu.Lock()
	e.gone = true
	e.mu.Unlock()
}

var _ Proxy = (*embeddedProxy)(nil)

func (e *embeddedProxy) Name() string   { return e.p.Name }
func (e *embeddedProxy) Listen() string { return e.listen }

func (e *embeddedProxy) AddToxic(t fault.Toxic) error {
	b, err := json.Marshal(t)
	if err != nil {
		return fmt.Errorf("encode toxic %q: %w", t.Name, err)
	}
	if _, err := e.p.Toxics.AddToxicJson(bytes.NewReader(b)); err != nil {
		return fmt.Errorf("add toxic %q (%s) to proxy %q: %w", t.Name, t.Type, e.p.Name, err)
	}
	return nil
}

func (e *embeddedProxy) RemoveToxic(name string) error {
	if err := e.p.Toxics.RemoveToxic(context.Background(), name); err != nil {
		return fmt.Errorf("remove toxic %q from proxy %q: %w", name, e.p.Name, err)
	}
	return nil
}

// SetEnabled stops the proxy (its listener closes, so new connections are refused, and
// every open connection through it is closed) or starts it again on the same address.
func (e *embeddedProxy) SetEnabled(enabled bool) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	if !enabled {
		e.p.Stop()
		return nil
	}
	if e.gone {
		return fmt.Errorf("enable proxy %q: it was removed (Env closed)", e.p.Name)
	}
	if err := e.p.Start(); err != nil && !errors.Is(err, toxiproxy.ErrProxyAlreadyStarted) {
		return fmt.Errorf("restart proxy %q on %s (was the port taken while it was down?): %w", e.p.Name, e.listen, err)
	}
	return nil
}

// Shared is false: an embedded server belongs to one run.
func (e *Embedded) Shared() bool { return false }
