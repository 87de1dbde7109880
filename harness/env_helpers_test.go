package harness

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/llmchaos/llmchaos/harness/internal/proxy"
	"github.com/llmchaos/llmchaos/harness/internal/sut"
	"github.com/llmchaos/llmchaos/mocks/control"
	"go.uber.org/goleak"
)

// envTestMock is a tiny control.Mock for the env/fault/timeline tests: it answers
// "served-by NAME" plus ?n= filler bytes, and plays ModeStatus and ModeHang.
type envTestMock struct {
	control.FaultSet
	name    string
	journal control.Journal
}

func newEnvTestMock(name string) *envTestMock {
	return &envTestMock{name: name, FaultSet: control.FaultSet{Supported: []control.Mode{control.ModeStatus, control.ModeHang}}}
}

func (m *envTestMock) Name() string              { return m.name }
func (m *envTestMock) Journal() *control.Journal { return &m.journal }

func (m *envTestMock) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	a := control.Attempt{Seq: m.journal.Begin(), Upstream: m.name, Arrived: time.Now(), Method: r.Method, Path: r.URL.Path, RetryCount: -1}
	defer func() { a.Duration = time.Since(a.Arrived); m.journal.Record(a) }()
	_, _ = io.Copy(io.Discard, r.Body)
	if f, ok := m.Pick(); ok {
		a.Fault = string(f.Mode())
		switch f.Mode() {
		case control.ModeStatus:
			a.Status = f.StatusCode()
			w.WriteHeader(f.StatusCode())
			fmt.Fprintf(w, `{"error":{"message":"fault %d"}}`, f.StatusCode())
			return
		case control.ModeHang:
			<-r.Context().Done()
			return
		}
	}
	n, _ := strconv.Atoi(r.URL.Query().Get("n"))
	if r.URL.Query().Get("close") != "" {
		w.Header().Set("Connection", "close")
	}
	body := "served-by " + m.name + strings.Repeat("x", n)
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	a.Status = http.StatusOK
	_, _ = io.WriteString(w, body)
	a.Complete = true
}

func envTestFactory(spec UpstreamSpec, _ int64) (control.Mock, error) {
	return newEnvTestMock(spec.Name), nil
}

// envTestLeakCheck registers, before any other cleanup, a goroutine leak check that runs
// after all of them.
func envTestLeakCheck(t testing.TB, extra ...goleak.Option) {
	t.Helper()
	opts := append([]goleak.Option{goleak.IgnoreCurrent(), goleak.IgnoreTopFunction(sut.SpawnLoop)}, extra...)
	t.Cleanup(func() {
		if err := goleak.Find(opts...); err != nil {
			t.Errorf("goroutines left behind: %v", err)
		}
	})
}

// envTestBackend is one way to run Toxiproxy: embedded, or external over its HTTP API.
type envTestBackend struct {
	name string
	opts func(t testing.TB) []RunOption
}

var envTestBackends = []envTestBackend{
	{name: "embedded", opts: func(testing.TB) []RunOption { return nil }},
	{name: "external", opts: func(t testing.TB) []RunOption { return []RunOption{WithToxiproxy(envTestExternalToxiproxy(t))} }},
}

// envTestExternalToxiproxy serves a real Toxiproxy HTTP API on loopback and returns its URL.
func envTestExternalToxiproxy(t testing.TB) string {
	t.Helper()
	srv := proxy.NewEmbedded(nil)
	api := httptest.NewServer(srv.Routes())
	t.Cleanup(func() {
		api.Close()
		_ = srv.Close()
	})
	return api.URL
}

// envTestNew starts an Env of test mocks named names, closed at the test's end.
func envTestNew(t testing.TB, opts []RunOption, names ...string) *Env {
	t.Helper()
	specs := make([]UpstreamSpec, len(names))
	for i, n := range names {
		specs[i] = UpstreamSpec{Name: n, Kind: KindStore}
	}
	env, err := NewEnv(context.Background(), specs, 0, append([]RunOption{WithMockFactory(envTestFactory)}, opts...)...)
	if err != nil {
		t.Fatalf("NewEnv: %v", err)
	}
	t.Cleanup(func() {
		if err := env.Close(); err != nil {
			t.Errorf("Env.Close: %v", err)
		}
	})
	return env
}

// envTestClient is an HTTP client with its own transport, emptied at the test's end.
func envTestClient(t testing.TB, timeout time.Duration, keepAlive bool) *http.Client {
	tr := &http.Transport{DisableKeepAlives: !keepAlive}
	t.Cleanup(tr.CloseIdleConnections)
	return &http.Client{Transport: tr, Timeout: timeout}
}

// envTestGet GETs url and returns status and body.
func envTestGet(c *http.Client, url string) (int, string, error) {
	resp, err := c.Get(url)
	if err != nil {
		return 0, "", err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), err
}

// envTestMustServe fails the test unless u answers through its proxy.
func envTestMustServe(t testing.TB, c *http.Client, u *Upstream) {
	t.Helper()
	st, body, err := envTestGet(c, u.URL+"/")
	if err != nil || st != 200 || body != "served-by "+u.Name {
		t.Fatalf("%s through proxy: status %d body %q err %v; want 200 served-by %s", u.Name, st, body, err, u.Name)
	}
}

func envTestIsTimeout(err error) bool {
	var ne interface{ Timeout() bool }
	return errors.As(err, &ne) && ne.Timeout()
}

// envTestLimitDataLeak ignores the goroutines Toxiproxy v2.12.0 leaves behind for each
// connection its limit_data toxic cut: the toxic stops reading its input when the limit
// is reached, so the stub before it and the link's reader block on a channel send
// forever. Only the limit-data tests use it.
var envTestLimitDataLeak = []goleak.Option{
	goleak.IgnoreTopFunction("github.com/Shopify/toxiproxy/v2/toxics.(*NoopToxic).Pipe"),
	goleak.IgnoreTopFunction("github.com/Shopify/toxiproxy/v2/stream.(*ChanWriter).Write"),
}

// envTestEventually polls cond every few milliseconds until it holds or timeout passes.
func envTestEventually(t testing.TB, timeout time.Duration, what string, cond func() bool) {
	t.Helper()
	tick := time.NewTicker(5 * time.Millisecond)
	defer tick.Stop()
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	for !cond() {
		select {
		case <-tick.C:
		case <-deadline.C:
			t.Fatalf("timed out after %v waiting for %s", timeout, what)
		}
	}
}
