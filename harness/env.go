package harness

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"sync"

	"github.com/llmchaos/llmchaos/harness/internal/proxy"
	"github.com/llmchaos/llmchaos/harness/tmpl"
	"github.com/llmchaos/llmchaos/mocks/control"
)

// Env is a set of running mock upstreams, each behind its own Toxiproxy proxy. The SUT
// reaches an upstream only through Upstream.URL (the proxy), so network faults act on
// every byte it sends; protocol faults act through Upstream.Mock.
type Env struct {
	cfg       runConfig
	seed      int64
	runID     string
	toxi      proxy.Server
	ups       []*Upstream
	byName    map[string]*Upstream
	servers   []*mockServer
	remotes   []*control.Client
	proxyName []string

	closeOnce sync.Once
	closeErr  error
}

// NewEnv starts a mock for each spec on 127.0.0.1:0 (its admin API under
// control.AdminPrefix), seeded with seed (0: DefaultSeed), and a Toxiproxy proxy in front
// of it on another free loopback port. Toxiproxy is embedded in this process unless
// WithToxiproxy names a server; WithMockFactory and WithToxiproxyLog apply too (Run's
// other options do not concern it). On error everything already started is stopped.
// Call Close when done.
func NewEnv(ctx context.Context, specs []UpstreamSpec, seed int64, opts ...RunOption) (*Env, error) {
	if err := validateUpstreams(specs); err != nil {
		return nil, fmt.Errorf("upstreams: %w", err)
	}
	if seed == 0 {
		seed = DefaultSeed
	}
	e := &Env{cfg: newRunConfig(opts), seed: seed, runID: newRunID(), byName: make(map[string]*Upstream, len(specs))}
	if e.cfg.toxiproxy != "" {
		x, err := proxy.NewExternal(e.cfg.toxiproxy)
		if err != nil {
			return nil, err
		}
		e.toxi = x
	} else {
		e.toxi = proxy.NewEmbedded(e.cfg.toxiLog)
	}
	if err := checkListen(specs, e.toxi.Shared()); err != nil {
		return nil, errors.Join(err, e.Close())
	}
	for _, spec := range specs {
		if err := ctx.Err(); err != nil {
			return nil, errors.Join(fmt.Errorf("start upstreams: %w", err), e.Close())
		}
		if err := e.start(ctx, spec); err != nil {
			return nil, errors.Join(err, e.Close())
		}
	}
	return e, nil
}

func (e *Env) start(ctx context.Context, spec UpstreamSpec) error {
	if k, ok := lookupKind(spec.Kind); ok && k.real {
		return e.startReal(spec)
	}
	if spec.Remote != "" {
		return e.startRemote(ctx, spec)
	}
	m, err := e.cfg.mockFactory(spec, e.seed)
	if err != nil {
		return fmt.Errorf("upstream %q: build %s mock: %w", spec.Name, spec.Kind, err)
	}
	ms, err := serveMock(m)
	if err != nil {
		return fmt.Errorf("upstream %q: %w", spec.Name, err)
	}
	e.servers = append(e.servers, ms)
	name := e.proxyNameFor(spec.Name)
	p, err := e.toxi.Create(name, spec.Listen, ms.addr)
	if err != nil {
		return fmt.Errorf("upstream %q: %w", spec.Name, err)
	}
	e.proxyName = append(e.proxyName, name)
	u := &Upstream{
		Name:      spec.Name,
		Kind:      spec.Kind,
		URL:       "http://" + p.Listen(),
		Addr:      p.Listen(),
		MockURL:   "http://" + ms.addr,
		Mock:      m,
		Proxy:     p,
		ProxyName: name,
	}
	e.ups = append(e.ups, u)
	e.byName[spec.Name] = u
	return nil
}

// proxyNameFor is the upstream's name for the embedded server (one per Env) and a name
// unique to this Env on an external server that others may share.
func (e *Env) proxyNameFor(upstream string) string {
	if e.toxi.Shared() {
		return "llmchaos-" + e.runID + "-" + upstream
	}
	return upstream
}

// Upstream returns the upstream called name.
func (e *Env) Upstream(name string) (*Upstream, bool) {
	u, ok := e.byName[name]
	return u, ok
}

// Upstreams returns the upstreams in the order of the specs given to NewEnv.
func (e *Env) Upstreams() []*Upstream {
	out := make([]*Upstream, len(e.ups))
	copy(out, e.ups)
	return out
}

// TemplateUpstreams is the upstreams as templates see them ({{ .Upstreams.NAME.URL }}),
// with the proxies' URLs.
func (e *Env) TemplateUpstreams() map[string]tmpl.Upstream {
	out := make(map[string]tmpl.Upstream, len(e.ups))
	for _, u := range e.ups {
		out[u.Name] = tmpl.Upstream{Name: u.Name, Kind: string(u.Kind), URL: u.URL, Addr: u.Addr}
	}
	return out
}

// Close stops the proxies (closing every connection through them), the mocks and the
// embedded Toxiproxy; on an external server it deletes this Env's proxies. Safe to call
// more than once; later calls return the first call's error.
func (e *Env) Close() error {
	e.closeOnce.Do(func() {
		var errs []error
		if e.toxi != nil {
			for _, name := range e.proxyName {
				errs = append(errs, e.toxi.Remove(name))
			}
			errs = append(errs, e.toxi.Close())
		}
		for _, ms := range e.servers {
			errs = append(errs, ms.close())
		}
		for _, c := range e.remotes {
			c.Close()
		}
		e.closeErr = errors.Join(errs...)
	})
	return e.closeErr
}

func newRunID() string {
	var b [4]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}
