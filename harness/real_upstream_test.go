package harness_test

import (
	"bufio"
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/llmchaos/llmchaos/harness"
	"github.com/llmchaos/llmchaos/harness/fault"
	"github.com/llmchaos/llmchaos/harness/load"
	"github.com/llmchaos/llmchaos/harness/redistest"
	"github.com/llmchaos/llmchaos/mocks/control"
)

// redisPing sends PING to the Redis at addr and wants PONG.
func redisPing(addr string) error {
	c, err := net.DialTimeout("tcp", addr, 300*time.Millisecond)
	if err != nil {
		return err
	}
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(300 * time.Millisecond))
	if _, err := c.Write([]byte("PING\r\n")); err != nil {
		return err
	}
	line, err := bufio.NewReader(c).ReadString('\n')
	if err != nil {
		return err
	}
	if !strings.HasPrefix(line, "+PONG") {
		return errors.New("no PONG: " + line)
	}
	return nil
}

// realScenario is an app (a handler) that answers 200 only when the upstream the
// x-upstream header names answers (check), with the upstream down in the middle phase.
func realScenario(up harness.UpstreamSpec, header string, check func(string) error) harness.Scenario {
	app := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := check(r.Header.Get("x-upstream")); err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		_, _ = io.WriteString(w, "ok")
	})
	return harness.Scenario{
		Name:      "real-" + string(up.Kind),
		Upstreams: []harness.UpstreamSpec{up},
		SUT:       harness.SUTSpec{Handler: app},
		Load: load.Spec{Rate: 40, Timeout: time.Second, Request: load.Request{Protocol: load.ProtocolHTTP, Method: "GET", Path: "/",
			Headers: map[string]string{"x-upstream": header}}},
		Timeline: harness.Timeline{Phases: []harness.Phase{
			{Name: "steady", Duration: 700 * time.Millisecond},
			{Name: "outage", Duration: 700 * time.Millisecond, Faults: []harness.FaultSpec{{Upstream: up.Name, Fault: &fault.Down{}}}},
			{Name: "recovery", Duration: 700 * time.Millisecond},
		}},
	}
}

// okShare is the share of OK samples per phase.
func okShare(res *harness.Result) map[string]float64 {
	ok, all := map[string]int{}, map[string]int{}
	for _, s := range res.Samples {
		all[s.Phase]++
		if s.OK() {
			ok[s.Phase]++
		}
	}
	out := map[string]float64{}
	for p, n := range all {
		out[p] = float64(ok[p]) / float64(n)
	}
	return out
}

// checkOutage: the app is served through the real upstream's proxy in steady and
// recovery, and the down fault on it fails the app in the outage (the negative control:
// the same app, the same upstream, only the fault differs).
func checkOutage(t *testing.T, res *harness.Result, name string) {
	t.Helper()
	share := okShare(res)
	t.Logf("OK share per phase: %v", share)
	if share["steady"] < 0.9 || share["recovery"] < 0.8 {
		t.Errorf("through the proxy the app should be served: steady %.2f, recovery %.2f", share["steady"], share["recovery"])
	}
	if share["outage"] > 0.2 {
		t.Errorf("with %s down the app should fail: outage %.2f OK", name, share["outage"])
	}
	if _, ok := res.Journals[name]; ok {
		t.Errorf("a real service has a journal entry")
	}
	if res.Kinds[name] == "" {
		t.Errorf("the result does not name %s's kind", name)
	}
}

// TestTCPUpstreamRealRedis: a kind tcp upstream puts a real Redis behind the proxy; the
// app reaches it through {{ .Upstreams.cache.Addr }}, and a down fault takes it away.
func TestTCPUpstreamRealRedis(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: skipping the run with a real Redis behind the proxy; make test runs it")
	}
	// Not parallel: it sets an environment variable (the target reads it).
	addr := redistest.Start(t)
	t.Setenv("LLMCHAOS_TEST_REDIS_ADDR", addr)
	sc := realScenario(harness.UpstreamSpec{Name: "cache", Kind: harness.KindTCP, Target: "$LLMCHAOS_TEST_REDIS_ADDR"},
		"{{ .Upstreams.cache.Addr }}", redisPing)
	res, err := harness.Run(context.Background(), sc)
	if err != nil {
		t.Fatal(err)
	}
	checkOutage(t, res, "cache")
}

// TestHTTPUpstreamRealService: a kind http upstream puts a real HTTP service behind the
// proxy, its path kept in {{ .Upstreams.api.URL }}.
func TestHTTPUpstreamRealService(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: skipping the run with an HTTP service behind the proxy; make test runs it")
	}
	t.Parallel()
	svc := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/api/health" {
			http.NotFound(w, r)
			return
		}
		_, _ = io.WriteString(w, "fine")
	}))
	defer svc.Close()
	client := &http.Client{Timeout: 300 * time.Millisecond}
	sc := realScenario(harness.UpstreamSpec{Name: "api", Kind: harness.KindHTTP, Target: svc.URL + "/api"},
		"{{ .Upstreams.api.URL }}/health", func(u string) error {
			resp, err := client.Get(u)
			if err != nil {
				return err
			}
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				return errors.New(resp.Status)
			}
			return nil
		})
	res, err := harness.Run(context.Background(), sc)
	if err != nil {
		t.Fatal(err)
	}
	checkOutage(t, res, "api")
}

// TestRealUpstreamRefusesProtocolFaults: a protocol fault on a tcp or http upstream is
// a scenario error before anything starts, and so is a missing or malformed target.
func TestRealUpstreamRefusesProtocolFaults(t *testing.T) {
	t.Parallel()
	base := realScenario(harness.UpstreamSpec{Name: "cache", Kind: harness.KindTCP, Target: "127.0.0.1:1"}, "", redisPing)
	cases := []struct {
		name string
		edit func(*harness.Scenario)
		want string
	}{
		{"protocol fault on tcp", func(sc *harness.Scenario) {
			sc.Timeline.Phases[1].Faults = []harness.FaultSpec{{Upstream: "cache", Fault: &fault.Protocol{Fault: control.Fault{Type: control.TypeRateLimit}}}}
		}, "real service, with no mock to play a protocol fault"},
		{"no target", func(sc *harness.Scenario) { sc.Upstreams[0].Target = "" }, "target: is missing"},
		{"bad tcp target", func(sc *harness.Scenario) { sc.Upstreams[0].Target = "localhost" }, "want host:port"},
		{"https target", func(sc *harness.Scenario) {
			sc.Upstreams[0] = harness.UpstreamSpec{Name: "cache", Kind: harness.KindHTTP, Target: "https://example.com"}
		}, "want an http URL"},
		{"target on a mock", func(sc *harness.Scenario) {
			sc.Upstreams[0] = harness.UpstreamSpec{Name: "cache", Kind: harness.KindOpenAI, Target: "127.0.0.1:1"}
		}, "target is for the real-service kinds"},
	}
	for _, c := range cases {
		sc := base
		sc.Upstreams = append([]harness.UpstreamSpec(nil), base.Upstreams...)
		sc.Timeline.Phases = append([]harness.Phase(nil), base.Timeline.Phases...)
		c.edit(&sc)
		_, err := harness.Run(context.Background(), sc)
		var se *harness.ScenarioError
		if !errors.As(err, &se) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want a *ScenarioError saying %q", c.name, err, c.want)
		}
	}
}
