package proxy

import (
	"cmp"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"sync"

	toxiclient "github.com/Shopify/toxiproxy/v2/client"

	"github.com/llmchaos/llmchaos/harness/fault"
)

// External drives a Toxiproxy server through its HTTP API.
type External struct {
	apiURL string
	// host is the API's host name: where a proxy listening on every interface is reached.
	host string
	c    *toxiclient.Client
}

// NewExternal reaches the Toxiproxy server whose HTTP API is at apiURL, or says why not.
func NewExternal(apiURL string) (*External, error) {
	c := toxiclient.NewClient(apiURL)
	if _, err := c.Version(); err != nil {
		return nil, fmt.Errorf("reach toxiproxy API at %s (is the server running? start it with `toxiproxy-server` or drop --toxiproxy to use the embedded one): %w", apiURL, err)
	}
	host := "127.0.0.1"
	if u, err := url.Parse(apiURL); err == nil && u.Hostname() != "" {
		host = u.Hostname()
	}
	return &External{apiURL: apiURL, host: host, c: c}, nil
}

// Create creates a proxy called name in front of upstreamAddr (as the Toxiproxy server
// resolves it) on listen, or on a free loopback port of the server when listen is "".
// The proxy's Listen is where the harness reaches it: a proxy on every interface
// (0.0.0.0, [::]) is reached on the API's host.
func (x *External) Create(name, listen, upstreamAddr string) (Proxy, error) {
	p, err := x.c.CreateProxy(name, cmp.Or(listen, "127.0.0.1:0"), upstreamAddr)
	if err != nil {
		return nil, fmt.Errorf("create proxy %q listening on %s to %s on toxiproxy %s (is the address taken, or a proxy of an earlier run left there? list them with GET %s/proxies): %w",
			name, cmp.Or(listen, "a free port"), upstreamAddr, x.apiURL, x.apiURL, err)
	}
	return &externalProxy{p: p, listen: reachable(p.Listen, x.host)}, nil
}

// reachable is listen with an unspecified host (0.0.0.0, [::], none) replaced by host.
func reachable(listen, host string) string {
	h, port, err := net.SplitHostPort(listen)
	if err != nil {
		return listen
	}
	if ip := net.ParseIP(h); h == "" || (ip != nil && ip.IsUnspecified()) {
		return net.JoinHostPort(host, port)
	}
	return listen
}

// Remove deletes the proxy called name.
func (x *External) Remove(name string) error {
	p := x.c.NewProxy()
	p.Name = name
	if err := p.Delete(); err != nil {
		return fmt.Errorf("delete proxy %q on toxiproxy %s: %w", name, x.apiURL, err)
	}
	return nil
}

// Close drops the idle API connections the client keeps in http.DefaultTransport (the
// client offers no transport of its own), so no goroutine outlives the Env.
func (x *External) Close() error {
	if t, ok := http.DefaultTransport.(*http.Transport); ok {
		t.CloseIdleConnections()
	}
	return nil
}

// externalProxy is one proxy on an external Toxiproxy server.
type externalProxy struct {
	mu     sync.Mutex // the client's Proxy is mutated by Save
	p      *toxiclient.Proxy
	listen string
}

var _ Proxy = (*externalProxy)(nil)

func (e *externalProxy) Name() string   { return e.p.Name }
func (e *externalProxy) Listen() string { return e.listen }

func (e *externalProxy) AddToxic(t fault.Toxic) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	if _, err := e.p.AddToxic(t.Name, t.Type, t.Stream, t.Toxicity, toxiclient.Attributes(t.Attributes)); err != nil {
		return fmt.Errorf("add toxic %q (%s) to proxy %q: %w", t.Name, t.Type, e.p.Name, err)
	}
	return nil
}

func (e *externalProxy) RemoveToxic(name string) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	if err := e.p.RemoveToxic(name); err != nil {
		return fmt.Errorf("remove toxic %q from proxy %q: %w", name, e.p.Name, err)
	}
	return nil
}

// SetEnabled disables the proxy (the server closes its listener and every connection)
// or enables it again on the same address.
func (e *externalProxy) SetEnabled(enabled bool) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	var err error
	if enabled {
		err = e.p.Enable()
	} else {
		err = e.p.Disable()
	}
	if err != nil {
		return fmt.Errorf("set proxy %q enabled=%v: %w", e.p.Name, enabled, err)
	}
	return nil
}

// Shared is true: others may use the same server, so proxies need unique names.
func (x *External) Shared() bool { return true }
