package harness

import (
	"context"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/llmchaos/llmchaos/harness/fault"

	"github.com/llmchaos/llmchaos/harness/tmpl"
	"github.com/llmchaos/llmchaos/mocks/control"
)

func TestEnvStartsUpstreamsBehindProxies(t *testing.T) {
	for _, b := range envTestBackends {
		t.Run(b.name, func(t *testing.T) {
			envTestLeakCheck(t)
			env := envTestNew(t, b.opts(t), "primary", "secondary", "collector")
			c := envTestClient(t, 5*time.Second, true)

			ups := env.Upstreams()
			if len(ups) != 3 || ups[0].Name != "primary" || ups[1].Name != "secondary" || ups[2].Name != "collector" {
				t.Fatalf("Upstreams() order: %v", ups)
			}
			tu := env.TemplateUpstreams()
			for _, u := range ups {
				if u.URL == u.MockURL || !strings.HasPrefix(u.URL, "http://127.0.0.1:") || !strings.HasPrefix(u.MockURL, "http://127.0.0.1:") {
					t.Errorf("%s: URL %q MockURL %q: want two distinct loopback URLs", u.Name, u.URL, u.MockURL)
				}
				if got, ok := env.Upstream(u.Name); !ok || got != u {
					t.Errorf("Upstream(%q) = %v, %v", u.Name, got, ok)
				}
				if tu[u.Name] != (tmpl.Upstream{Name: u.Name, Kind: string(u.Kind), URL: u.URL, Addr: u.Addr}) || u.Addr != strings.TrimPrefix(u.URL, "http://") {
					t.Errorf("TemplateUpstreams()[%q] = %+v", u.Name, tu[u.Name])
				}
				envTestMustServe(t, c, u)
				// The admin API is served on the same listener.
				st, _, err := envTestGet(c, u.URL+control.AdminPrefix+"journal")
				if err != nil || st != 200 {
					t.Errorf("%s admin journal: %d %v", u.Name, st, err)
				}
				if n := len(u.Mock.Journal().Attempts()); n < 1 {
					t.Errorf("%s journal has %d attempts, want the request made through the proxy", u.Name, n)
				}
			}
			if _, ok := env.Upstream("nope"); ok {
				t.Error("Upstream(nope) found something")
			}
		})
	}
}

func TestEnvCloseStopsEverything(t *testing.T) {
	for _, b := range envTestBackends {
		t.Run(b.name, func(t *testing.T) {
			envTestLeakCheck(t)
			opts := b.opts(t)
			env, err := NewEnv(context.Background(), []UpstreamSpec{{Name: "primary", Kind: KindOpenAI}}, 0, append(opts, WithMockFactory(envTestFactory))...)
			if err != nil {
				t.Fatal(err)
			}
			u, _ := env.Upstream("primary")
			// An open keep-alive connection through the proxy must not keep anything alive.
			c := envTestClient(t, 5*time.Second, true)
			envTestMustServe(t, c, u)
			if err := env.Close(); err != nil {
				t.Fatalf("Close: %v", err)
			}
			if err := env.Close(); err != nil {
				t.Fatalf("second Close: %v", err)
			}
			for _, addr := range []string{strings.TrimPrefix(u.URL, "http://"), strings.TrimPrefix(u.MockURL, "http://")} {
				if conn, err := net.DialTimeout("tcp", addr, time.Second); err == nil {
					conn.Close()
					t.Errorf("%s still accepts connections after Close", addr)
				}
			}
		})
	}
}

func TestEnvExternalProxiesAreUniqueAndRemoved(t *testing.T) {
	envTestLeakCheck(t)
	api := envTestExternalToxiproxy(t)
	e1 := envTestNew(t, []RunOption{WithToxiproxy(api)}, "primary")
	e2 := envTestNew(t, []RunOption{WithToxiproxy(api)}, "primary")
	p1, _ := e1.Upstream("primary")
	p2, _ := e2.Upstream("primary")
	if p1.ProxyName == p2.ProxyName || !strings.HasPrefix(p1.ProxyName, "llmchaos-"+e1.runID+"-") {
		t.Fatalf("proxy names %q and %q: want unique llmchaos-RUNID-primary", p1.ProxyName, p2.ProxyName)
	}
	c := envTestClient(t, 5*time.Second, false)
	list := func() string {
		_, body, err := envTestGet(c, api+"/proxies")
		if err != nil {
			t.Fatal(err)
		}
		return body
	}
	if l := list(); !strings.Contains(l, p1.ProxyName) || !strings.Contains(l, p2.ProxyName) {
		t.Fatalf("server lists %s", l)
	}
	if err := e1.Close(); err != nil {
		t.Fatal(err)
	}
	if l := list(); strings.Contains(l, p1.ProxyName) || !strings.Contains(l, p2.ProxyName) {
		t.Fatalf("after closing the first Env the server lists %s; want only the second's proxy", l)
	}
}

func TestEnvRejectsBadInput(t *testing.T) {
	envTestLeakCheck(t)
	ctx := context.Background()
	cases := map[string][]UpstreamSpec{
		"empty name": {{Kind: KindOpenAI}},
		"duplicate":  {{Name: "a", Kind: KindOpenAI}, {Name: "a", Kind: KindOpenAI}},
		"bad kind":   {{Name: "a", Kind: "smtp"}},
	}
	for name, specs := range cases {
		if env, err := NewEnv(ctx, specs, 0); err == nil {
			env.Close()
			t.Errorf("%s: NewEnv succeeded", name)
		}
	}
	if _, err := NewEnv(ctx, []UpstreamSpec{{Name: "a", Kind: KindStore}}, 0, WithMockFactory(envTestFactory), WithToxiproxy("http://127.0.0.1:1")); err == nil || !strings.Contains(err.Error(), "toxiproxy") {
		t.Errorf("unreachable external toxiproxy: err %v", err)
	}
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := NewEnv(cctx, []UpstreamSpec{{Name: "a", Kind: KindStore}}, 0, WithMockFactory(envTestFactory)); err == nil {
		t.Error("NewEnv with a cancelled context succeeded")
	}
}

func TestEnvRevertAfterCloseDoesNotRestartProxies(t *testing.T) {
	for _, b := range envTestBackends {
		t.Run(b.name, func(t *testing.T) {
			envTestLeakCheck(t)
			opts := append(b.opts(t), WithMockFactory(envTestFactory))
			env, err := NewEnv(context.Background(), []UpstreamSpec{{Name: "primary", Kind: KindStore}}, 0, opts...)
			if err != nil {
				t.Fatal(err)
			}
			u, _ := env.Upstream("primary")
			revert, err := (&fault.Down{}).Apply(context.Background(), u.Target())
			if err != nil {
				t.Fatal(err)
			}
			if err := env.Close(); err != nil {
				t.Fatal(err)
			}
			if err := revert(); err == nil {
				t.Error("reverting down after Close restarted the proxy")
			}
		})
	}
}
