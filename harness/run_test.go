//go:build unix

package harness

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/llmchaos/llmchaos/harness/fault"
	"github.com/llmchaos/llmchaos/harness/internal/sut"
	"github.com/llmchaos/llmchaos/harness/internal/testapp"
	"github.com/llmchaos/llmchaos/harness/load"

	"github.com/onsi/gomega"
	"go.uber.org/goleak"

	"github.com/llmchaos/llmchaos/mocks/control"
	"github.com/llmchaos/llmchaos/mocks/llm"
)

// runTestMock is a minimal OpenAI Chat Completions mock (non-streaming) that names itself
// in its answer and journals every attempt: enough for Run's tests, independent of mocks/llm.
type runTestMock struct {
	control.FaultSet
	name    string
	journal control.Journal
}

var _ control.Mock = (*runTestMock)(nil)

func runTestMockFactory(spec UpstreamSpec, seed int64) (control.Mock, error) {
	return &runTestMock{name: spec.Name}, nil
}

func (m *runTestMock) Name() string              { return m.name }
func (m *runTestMock) Journal() *control.Journal { return &m.journal }

func (m *runTestMock) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	arrived := time.Now()
	seq := m.journal.Begin()
	body, _ := io.ReadAll(r.Body)
	var req struct {
		User string `json:"user"`
	}
	_ = json.Unmarshal(body, &req)
	id := req.User
	if id == "" {
		id = llm.IDFromText(string(body))
	}
	text := strings.Join(llm.Tokens(1, m.name, id, 5), "")
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(map[string]any{
		"id": "chatcmpl-" + id, "object": "chat.completion", "created": arrived.Unix(), "model": "gpt-4o-mini",
		"choices": []any{map[string]any{"index": 0, "message": map[string]any{"role": "assistant", "content": text}, "finish_reason": "stop"}},
		"usage":   map[string]any{"prompt_tokens": 5, "completion_tokens": 7, "total_tokens": 12},
	})
	m.journal.Record(control.Attempt{
		Seq: seq, Upstream: m.name, Arrived: arrived, Duration: time.Since(arrived), Method: r.Method, Path: r.URL.Path,
		CorrelationID: id, RetryCount: -1, Status: http.StatusOK, Complete: true,
	})
}

// runTestFailoverApp is a tiny gateway: it forwards the chat request to the URL in the
// x-primary header and, when that fails, to x-secondary. It remembers the URLs it saw.
type runTestFailoverApp struct {
	client *http.Client
	mu     sync.Mutex
	seen   map[string]bool
}

func newRunTestFailoverApp() *runTestFailoverApp {
	return &runTestFailoverApp{
		client: &http.Client{Timeout: 2 * time.Second, Transport: &http.Transport{DisableKeepAlives: true}},
		seen:   map[string]bool{},
	}
}

func (a *runTestFailoverApp) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	for _, h := range []string{"x-primary", "x-secondary"} {
		base := r.Header.Get(h)
		a.mu.Lock()
		a.seen[base] = true
		a.mu.Unlock()
		req, err := http.NewRequestWithContext(r.Context(), http.MethodPost, base+"/v1/chat/completions", bytes.NewReader(body))
		if err != nil {
			continue
		}
		req.Header.Set("Content-Type", "application/json")
		resp, err := a.client.Do(req)
		if err != nil {
			continue
		}
		b, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil || resp.StatusCode/100 != 2 {
			continue
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(b)
		return
	}
	http.Error(w, "every upstream failed", http.StatusBadGateway)
}

func (a *runTestFailoverApp) upstreamURLs() []string {
	a.mu.Lock()
	defer a.mu.Unlock()
	var out []string
	for u := range a.seen {
		out = append(out, u)
	}
	return out
}

// runTestFailoverScenario: steady, primary down, recovery; load through the failover app.
func runTestFailoverScenario(app http.Handler) Scenario {
	return Scenario{
		Name: "run-failover",
		Seed: 7,
		Upstreams: []UpstreamSpec{
			{Name: "primary", Kind: KindOpenAI},
			{Name: "secondary", Kind: KindOpenAI},
		},
		SUT: SUTSpec{Handler: app},
		Load: load.Spec{Rate: 40, Timeout: 3 * time.Second, Request: load.Request{
			Protocol: load.ProtocolOpenAIChat,
			Headers: map[string]string{
				"x-primary":   "{{ .Upstreams.primary.URL }}",
				"x-secondary": "{{ .Upstreams.secondary.URL }}",
			},
		}},
		Timeline: Timeline{Phases: []Phase{
			{Name: "steady", Duration: time.Second},
			{Name: "outage", Duration: 1500 * time.Millisecond, Faults: []FaultSpec{{Upstream: "primary", Fault: &fault.Down{}}}},
			{Name: "recovery", Duration: time.Second},
		}},
	}
}

// runTestRefused asserts nothing listens at the URL's address any more.
func runTestRefused(g *gomega.WithT, rawURL string) {
	addr := strings.TrimPrefix(rawURL, "http://")
	c, err := net.DialTimeout("tcp", addr, time.Second)
	if err == nil {
		c.Close()
	}
	g.Expect(err).To(gomega.HaveOccurred(), "something still listens at %s", addr)
}

func runTestEvent(events []Event, kind EventKind, upstream string) (Event, bool) {
	for _, e := range events {
		if e.Kind == kind && e.Upstream == upstream {
			return e, true
		}
	}
	return Event{}, false
}

func TestRunFailoverEndToEnd(t *testing.T) {
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent(), goleak.IgnoreTopFunction(sut.SpawnLoop))
	g := gomega.NewWithT(t)
	app := newRunTestFailoverApp()
	var (
		pmu      sync.Mutex
		progress []Progress
	)
	res, err := Run(context.Background(), runTestFailoverScenario(app),
		WithMockFactory(runTestMockFactory),
		WithProgress(func(p Progress) { pmu.Lock(); progress = append(progress, p); pmu.Unlock() }),
		WithProgressInterval(100*time.Millisecond))
	g.Expect(err).NotTo(gomega.HaveOccurred())
	g.Expect(res.Interrupted).To(gomega.BeFalse())
	g.Expect(res.Scenario).To(gomega.Equal("run-failover"))
	g.Expect(res.Interval).To(gomega.Equal(25 * time.Millisecond))
	g.Expect(res.Kinds).To(gomega.Equal(map[string]UpstreamKind{"primary": KindOpenAI, "secondary": KindOpenAI}))

	// Phases ran as planned, end to end.
	g.Expect(res.Phases).To(gomega.HaveLen(3))
	want := []time.Duration{time.Second, 1500 * time.Millisecond, time.Second}
	for i, p := range res.Phases {
		g.Expect(p.Name).To(gomega.Equal([]string{"steady", "outage", "recovery"}[i]))
		g.Expect(p.End.Sub(p.Start)).To(gomega.BeNumerically("~", want[i], 200*time.Millisecond))
		if i > 0 {
			g.Expect(p.Start).To(gomega.Equal(res.Phases[i-1].End))
		}
	}
	g.Expect(res.Phases[0].Start.Sub(res.Start)).To(gomega.BeNumerically("~", 0, 100*time.Millisecond))
	g.Expect(res.End).NotTo(gomega.BeTemporally("<", res.Phases[2].End))

	// The fault was applied and reverted at the outage's edges.
	applied, ok := runTestEvent(res.Events, EventFaultApplied, "primary")
	g.Expect(ok).To(gomega.BeTrue(), "events %v", res.Events)
	reverted, ok := runTestEvent(res.Events, EventFaultReverted, "primary")
	g.Expect(ok).To(gomega.BeTrue(), "events %v", res.Events)
	g.Expect(applied.FaultKind).To(gomega.Equal("down"))
	g.Expect(applied.FaultID).To(gomega.Equal(reverted.FaultID))
	g.Expect(applied.At.Sub(res.Phases[1].Start)).To(gomega.BeNumerically("~", 0, 200*time.Millisecond))
	g.Expect(reverted.At.Sub(res.Phases[1].End)).To(gomega.BeNumerically("~", 0, 200*time.Millisecond))
	g.Expect(applied.At).NotTo(gomega.BeTemporally("<", res.Phases[1].Start))
	g.Expect(reverted.At).NotTo(gomega.BeTemporally("<", res.Phases[1].End))

	// Samples exist in every phase; the served-by attribution flips with the fault.
	byPhase := map[string][]load.Sample{}
	for _, s := range res.Samples {
		byPhase[s.Phase] = append(byPhase[s.Phase], s)
	}
	g.Expect(len(res.Samples)).To(gomega.BeNumerically("~", 140, 10))
	for _, ph := range []string{"steady", "outage", "recovery"} {
		g.Expect(len(byPhase[ph])).To(gomega.BeNumerically(">=", 20), "samples in %s", ph)
	}
	served := func(samples []load.Sample, from, to time.Time) map[string]int {
		out := map[string]int{}
		for _, s := range samples {
			if s.Started().After(from) && s.Ended().Before(to) {
				if s.OK() {
					out[s.ServedBy]++
				} else {
					out[string(s.Outcome)]++
				}
			}
		}
		return out
	}
	settle := 100 * time.Millisecond
	g.Expect(served(byPhase["steady"], res.Start, applied.At)).To(gomega.HaveKey("primary"))
	g.Expect(served(byPhase["steady"], res.Start, applied.At)).To(gomega.HaveLen(1), "steady: only the primary serves")
	// A fault's events carry when its Apply (revert) began; it took effect within Took.
	on, off := applied.At.Add(applied.Took), reverted.At.Add(reverted.Took)
	during := served(byPhase["outage"], on.Add(settle), reverted.At)
	g.Expect(during).To(gomega.HaveKey("secondary"))
	g.Expect(during).To(gomega.HaveLen(1), "outage: only the secondary serves, and every request succeeds")
	after := served(byPhase["recovery"], off.Add(settle), res.End)
	g.Expect(after).To(gomega.HaveKey("primary"))
	g.Expect(after).To(gomega.HaveLen(1), "recovery: the primary serves again")

	// The journals agree: the primary saw nothing during the outage, the secondary took over.
	count := func(name string, from, to time.Time) int {
		n := 0
		for _, a := range res.Journals[name] {
			if !a.Arrived.Before(from) && a.Arrived.Before(to) {
				n++
			}
		}
		return n
	}
	g.Expect(count("primary", res.Start, applied.At)).To(gomega.BeNumerically(">=", 20))
	g.Expect(count("primary", on, reverted.At)).To(gomega.BeZero())
	g.Expect(count("primary", reverted.At, res.End)).To(gomega.BeNumerically(">=", 20))
	g.Expect(count("secondary", res.Start, applied.At)).To(gomega.BeZero())
	g.Expect(count("secondary", applied.At, reverted.At)).To(gomega.BeNumerically(">=", 30))
	g.Expect(count("secondary", off.Add(settle), res.End)).To(gomega.BeZero())

	// Progress was reported through every phase and once at the end.
	pmu.Lock()
	defer pmu.Unlock()
	g.Expect(len(progress)).To(gomega.BeNumerically(">=", 10))
	phases := map[string]bool{}
	for _, p := range progress {
		phases[p.Phase] = true
		g.Expect(p.Total).To(gomega.Equal(3500 * time.Millisecond))
		g.Expect(p.Scenario).To(gomega.Equal("run-failover"))
	}
	g.Expect(phases).To(gomega.HaveLen(3))
	last := progress[len(progress)-1]
	g.Expect(last.Done).To(gomega.BeTrue())
	g.Expect(last.Sent).To(gomega.Equal(len(res.Samples)))
	g.Expect(last.OK).To(gomega.Equal(len(res.Samples)))
	g.Expect(last.Elapsed).To(gomega.Equal(last.Total))

	// Nothing is left: the proxies no longer listen.
	urls := app.upstreamURLs()
	g.Expect(urls).To(gomega.HaveLen(2))
	for _, u := range urls {
		runTestRefused(g, u)
	}
}

func TestRunSUTCrashMidRun(t *testing.T) {
	bin := testapp.Build(t)
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent(), goleak.IgnoreTopFunction(sut.SpawnLoop))
	g := gomega.NewWithT(t)
	sc := Scenario{
		Name: "run-crash",
		SUT: SUTSpec{
			Command: []string{bin},
			Env:     map[string]string{"SUTAPP_ADDR": "{{ .SUT.Addr }}", "SUTAPP_CRASH_AFTER": "10", "SUTAPP_CHILD": "1"},
			Ready:   ReadySpec{Path: "/healthz"},
		},
		Load:     load.Spec{Rate: 20, Timeout: time.Second, Request: load.Request{Protocol: load.ProtocolHTTP, Method: "GET", Path: "/"}},
		Timeline: Timeline{Phases: []Phase{{Name: "steady", Duration: time.Minute}}},
	}
	began := time.Now()
	res, err := Run(context.Background(), sc, WithSUTStopGrace(time.Second))
	g.Expect(time.Since(began)).To(gomega.BeNumerically("<", 15*time.Second), "the run ends when the app dies, not at the timeline's end")
	var re *RunError
	g.Expect(errors.As(err, &re)).To(gomega.BeTrue(), "err %v", err)
	g.Expect(re.Stage).To(gomega.Equal(RunStageSUTExit))
	var se *sut.Error
	g.Expect(errors.As(err, &se)).To(gomega.BeTrue())
	g.Expect(se.ExitCode).To(gomega.Equal(4))
	g.Expect(err.Error()).To(gomega.ContainSubstring("panic: crashing after 10 requests (on purpose)"))

	g.Expect(res).NotTo(gomega.BeNil())
	g.Expect(res.Interrupted).To(gomega.BeTrue())
	g.Expect(res.SUTLog).To(gomega.ContainElement("panic: crashing after 10 requests (on purpose)"))
	exit, ok := runTestEvent(res.Events, EventSUTExit, "")
	g.Expect(ok).To(gomega.BeTrue(), "events %v", res.Events)
	g.Expect(exit.Phase).To(gomega.Equal("steady"))
	g.Expect(exit.Detail).To(gomega.ContainSubstring("exit"))
	g.Expect(len(res.Samples)).To(gomega.BeNumerically(">=", 9))
	g.Expect(res.Phases).To(gomega.HaveLen(1))
	g.Expect(res.Phases[0].End).To(gomega.BeTemporally("<", res.Phases[0].Start.Add(15*time.Second)))
	oks := 0
	for _, s := range res.Samples {
		if s.OK() {
			oks++
		}
	}
	g.Expect(oks).To(gomega.BeNumerically("~", 9, 1), "requests before the 10th succeed")
	if child := testapp.Pid(res.SUTLog, "child pid "); g.Expect(child).NotTo(gomega.BeZero()) {
		g.Eventually(func() bool { return testapp.Alive(child) }, 2*time.Second, 10*time.Millisecond).Should(gomega.BeFalse(), "the crashed app's child was killed")
	}
}

func TestRunCancelled(t *testing.T) {
	bin := testapp.Build(t)
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent(), goleak.IgnoreTopFunction(sut.SpawnLoop))
	g := gomega.NewWithT(t)
	sc := Scenario{
		Name:      "run-cancel",
		Upstreams: []UpstreamSpec{{Name: "primary", Kind: KindOpenAI}},
		SUT: SUTSpec{
			Command: []string{bin},
			Env:     map[string]string{"SUTAPP_ADDR": "{{ .SUT.Addr }}", "SUTAPP_CHILD": "1", "SUTAPP_ECHO": "{{ .Upstreams.primary.URL }}"},
		},
		Load: load.Spec{Rate: 50, Request: load.Request{Protocol: load.ProtocolHTTP, Method: "GET", Path: "/"}},
		Timeline: Timeline{Phases: []Phase{
			{Name: "steady", Duration: 200 * time.Millisecond},
			{Name: "outage", Duration: time.Minute, Faults: []FaultSpec{{Upstream: "primary", Fault: &fault.Down{}}}},
		}},
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var n int
	out := &testapp.Buffer{}
	began := time.Now()
	res, err := Run(ctx, sc, WithMockFactory(runTestMockFactory), WithSUTLogWriter(out),
		WithSampleHook(func(s load.Sample) {
			if n++; n == 20 {
				cancel()
			}
		}))
	g.Expect(time.Since(began)).To(gomega.BeNumerically("<", 15*time.Second))
	g.Expect(err).To(gomega.MatchError(context.Canceled))
	var re *RunError
	g.Expect(errors.As(err, &re)).To(gomega.BeFalse(), "an interrupt is not a harness failure")
	g.Expect(res).NotTo(gomega.BeNil())
	g.Expect(res.Interrupted).To(gomega.BeTrue())
	g.Expect(len(res.Samples)).To(gomega.BeNumerically(">=", 20))
	g.Expect(res.Phases).To(gomega.HaveLen(2))
	g.Expect(res.Phases[1].Name).To(gomega.Equal("outage"))
	g.Expect(res.Phases[1].End.Sub(res.Phases[1].Start)).To(gomega.BeNumerically("<", 10*time.Second))
	_, ok := runTestEvent(res.Events, EventFaultReverted, "primary")
	g.Expect(ok).To(gomega.BeTrue(), "the fault was reverted on cancel: %v", res.Events)

	// Nothing is left: not the app, not its child, not the proxy.
	g.Expect(out.String()).To(gomega.ContainSubstring("listening on"))
	pid := testapp.Pid(res.SUTLog, "pid ")
	child := testapp.Pid(res.SUTLog, "child pid ")
	g.Expect(pid).NotTo(gomega.BeZero())
	g.Expect(child).NotTo(gomega.BeZero())
	g.Expect(testapp.Alive(pid)).To(gomega.BeFalse())
	g.Eventually(func() bool { return testapp.Alive(child) }, 2*time.Second, 10*time.Millisecond).Should(gomega.BeFalse())
	var proxyURL string
	for _, l := range res.SUTLog {
		if v, ok := strings.CutPrefix(l, "echo: "); ok {
			proxyURL = v
		}
	}
	g.Expect(proxyURL).To(gomega.HavePrefix("http://127.0.0.1:"))
	runTestRefused(g, proxyURL)
}

func TestRunPanicInSampleHook(t *testing.T) {
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent(), goleak.IgnoreTopFunction(sut.SpawnLoop))
	g := gomega.NewWithT(t)
	app := newRunTestFailoverApp()
	sc := runTestFailoverScenario(app)
	sc.Timeline.Phases[2].Duration = time.Minute
	began := time.Now()
	res, err := Run(context.Background(), sc, WithMockFactory(runTestMockFactory),
		WithSampleHook(func(s load.Sample) { panic("hook exploded") }))
	g.Expect(time.Since(began)).To(gomega.BeNumerically("<", 15*time.Second))
	var re *RunError
	g.Expect(errors.As(err, &re)).To(gomega.BeTrue(), "err %v", err)
	g.Expect(re.Stage).To(gomega.Equal(RunStagePanic))
	g.Expect(err.Error()).To(gomega.ContainSubstring("hook exploded"))
	g.Expect(res).NotTo(gomega.BeNil())
	g.Expect(res.Interrupted).To(gomega.BeTrue())
	for _, u := range app.upstreamURLs() {
		runTestRefused(g, u)
	}
}

func TestRunPanicInProgress(t *testing.T) {
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent(), goleak.IgnoreTopFunction(sut.SpawnLoop))
	g := gomega.NewWithT(t)
	sc := runTestFailoverScenario(newRunTestFailoverApp())
	sc.Timeline.Phases[0].Duration = time.Minute
	res, err := Run(context.Background(), sc, WithMockFactory(runTestMockFactory),
		WithProgress(func(Progress) { panic("progress exploded") }))
	g.Expect(err).To(gomega.MatchError(gomega.ContainSubstring("progress exploded")))
	g.Expect(res.Interrupted).To(gomega.BeTrue())
}

func TestRunHarnessErrors(t *testing.T) {
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent(), goleak.IgnoreTopFunction(sut.SpawnLoop))
	g := gomega.NewWithT(t)
	good := runTestFailoverScenario(newRunTestFailoverApp())

	// The app does not start: a RunError of stage sut, after which nothing is left.
	sc := good
	sc.SUT = SUTSpec{Command: []string{"llmchaos-no-such-command"}}
	res, err := Run(context.Background(), sc, WithMockFactory(runTestMockFactory))
	g.Expect(res).To(gomega.BeNil())
	var re *RunError
	g.Expect(errors.As(err, &re)).To(gomega.BeTrue(), "err %v", err)
	g.Expect(re.Stage).To(gomega.Equal(RunStageSUT))
	g.Expect(err.Error()).To(gomega.ContainSubstring("llmchaos-no-such-command"))

	// The upstreams do not start.
	res, err = Run(context.Background(), good, WithMockFactory(func(UpstreamSpec, int64) (control.Mock, error) {
		return nil, errors.New("no mock today")
	}))
	g.Expect(res).To(gomega.BeNil())
	g.Expect(errors.As(err, &re)).To(gomega.BeTrue(), "err %v", err)
	g.Expect(re.Stage).To(gomega.Equal(RunStageEnv))

	// --sut-url override: an external app that is not there fails readiness.
	sc = good
	sc.SUT.Ready = ReadySpec{Path: "/healthz", Timeout: 200 * time.Millisecond}
	_, err = Run(context.Background(), sc, WithMockFactory(runTestMockFactory), WithSUTOverride(nil, "http://127.0.0.1:1"))
	g.Expect(errors.As(err, &re)).To(gomega.BeTrue(), "err %v", err)
	g.Expect(re.Stage).To(gomega.Equal(RunStageSUT))
	g.Expect(err.Error()).To(gomega.ContainSubstring("127.0.0.1:1"))
}

func TestRunValidate(t *testing.T) {
	g := gomega.NewWithT(t)
	good := runTestFailoverScenario(http.NotFoundHandler())
	g.Expect(ValidateScenario(good)).To(gomega.Succeed())
	cases := []struct {
		field  string
		mutate func(*Scenario)
	}{
		{"name", func(s *Scenario) { s.Name = "" }},
		{"upstreams[1].name", func(s *Scenario) { s.Upstreams[1].Name = "primary" }},
		{"upstreams[0].name", func(s *Scenario) { s.Upstreams[0].Name = "" }},
		{"sut", func(s *Scenario) { s.SUT = SUTSpec{} }},
		{"load.rate", func(s *Scenario) { s.Load.Rate = 0 }},
		{"load.timeout", func(s *Scenario) { s.Load.Timeout = -1 }},
		{"timeline", func(s *Scenario) { s.Timeline.Phases = nil }},
		{"timeline[1].for", func(s *Scenario) { s.Timeline.Phases[1].Duration = 0 }},
		{"timeline[2].phase", func(s *Scenario) { s.Timeline.Phases[2].Name = "" }},
		{"timeline[1].faults[0].upstream", func(s *Scenario) { s.Timeline.Phases[1].Faults[0].Upstream = "tertiary" }},
		{"timeline[1].faults[0]", func(s *Scenario) { s.Timeline.Phases[1].Faults[0].Fault = nil }},
		// issue 14: bounds and templates, checked before anything starts
		{"upstreams[0].answer_words", func(s *Scenario) { s.Upstreams[0].AnswerWords = 1_000_000_000 }},
		{"load.rate", func(s *Scenario) { s.Load.Rate = 1e6 }}, // 1e6/s over the timeline: past DefaultMaxSamples
		{"load.request.method", func(s *Scenario) { s.Load.Request.Method = "GET POST" }},
		{"load.request.path", func(s *Scenario) { s.Load.Request.Path = "/{{ .Nope }}" }},
		{"load.request.body", func(s *Scenario) { s.Load.Request.Body = "{{ range 100000000000 }}x{{ end }}" }},
		{"sut.url", func(s *Scenario) { s.SUT.URL = "{{ call .Nope }}" }},
		{"sut.env.A=B", func(s *Scenario) { s.SUT.Env = map[string]string{"A=B": "x"} }},
		{"sut.env.A", func(s *Scenario) { s.SUT.Env = map[string]string{"A": "x\x00y"} }},
		{"timeline", func(s *Scenario) { s.Timeline.Phases[0].Duration, s.Timeline.Phases[1].Duration = 1<<62, 1<<62 }},
	}
	for _, tc := range cases {
		sc := runTestFailoverScenario(http.NotFoundHandler())
		tc.mutate(&sc)
		err := ValidateScenario(sc)
		var se *ScenarioError
		g.Expect(errors.As(err, &se)).To(gomega.BeTrue(), "%s: err %v", tc.field, err)
		g.Expect(se.Field).To(gomega.Equal(tc.field))
		res, err := Run(context.Background(), sc)
		g.Expect(res).To(gomega.BeNil())
		g.Expect(errors.As(err, &se)).To(gomega.BeTrue(), "Run validates first")
	}
	err := ValidateScenario(Scenario{Name: "x", Upstreams: []UpstreamSpec{{Name: "primary", Kind: KindOpenAI}}, SUT: SUTSpec{URL: "http://x"}, Load: load.Spec{Rate: 1, Request: load.Request{Protocol: load.ProtocolHTTP}},
		Timeline: Timeline{Phases: []Phase{{Name: "p", Duration: time.Second, Faults: []FaultSpec{{Upstream: "nope", Fault: &fault.Down{}}}}}}})
	g.Expect(err).To(gomega.MatchError(gomega.ContainSubstring(`"nope" is not a declared upstream (declared: [primary])`)))
}

func TestRunPhaseHelpers(t *testing.T) {
	g := gomega.NewWithT(t)
	t0 := time.Unix(1000, 0)
	tl := Timeline{Phases: []Phase{{Name: "a", Duration: time.Second}, {Name: "b", Duration: 2 * time.Second}}}
	planned := plannedSpans(tl, t0)
	g.Expect(planned).To(gomega.Equal([]PhaseSpan{{"a", t0, t0.Add(time.Second)}, {"b", t0.Add(time.Second), t0.Add(3 * time.Second)}}))
	at := phaseAtFunc(planned)
	g.Expect(at(t0.Add(-time.Second))).To(gomega.Equal("a"))
	g.Expect(at(t0.Add(999 * time.Millisecond))).To(gomega.Equal("a"))
	g.Expect(at(t0.Add(time.Second))).To(gomega.Equal("b"))
	g.Expect(at(t0.Add(time.Hour))).To(gomega.Equal("b"))

	// Without events the planned spans, cut at the end, stand in.
	g.Expect(actualSpans(nil, planned, t0.Add(1500*time.Millisecond))).To(gomega.Equal([]PhaseSpan{
		{"a", t0, t0.Add(time.Second)}, {"b", t0.Add(time.Second), t0.Add(1500 * time.Millisecond)}}))
	// From events; an unfinished phase ends at the end.
	ev := []Event{
		{At: t0.Add(10 * time.Millisecond), Kind: EventPhaseStart, Phase: "a"},
		{At: t0.Add(1010 * time.Millisecond), Kind: EventPhaseEnd, Phase: "a"},
		{At: t0.Add(1010 * time.Millisecond), Kind: EventPhaseStart, Phase: "b"},
	}
	g.Expect(actualSpans(ev, planned, t0.Add(2*time.Second))).To(gomega.Equal([]PhaseSpan{
		{"a", t0.Add(10 * time.Millisecond), t0.Add(1010 * time.Millisecond)}, {"b", t0.Add(1010 * time.Millisecond), t0.Add(2 * time.Second)}}))
}

// runTestBrokenFault is a fault that cannot be applied.
type runTestBrokenFault struct{}

func (runTestBrokenFault) Kind() string   { return "broken" }
func (runTestBrokenFault) String() string { return "broken on purpose" }
func (runTestBrokenFault) Apply(context.Context, *fault.Target) (func() error, error) {
	return nil, errors.New("cannot apply (on purpose)")
}

func TestRunFaultThatFails(t *testing.T) {
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent(), goleak.IgnoreTopFunction(sut.SpawnLoop))
	g := gomega.NewWithT(t)
	sc := runTestFailoverScenario(newRunTestFailoverApp())
	sc.Timeline = Timeline{Phases: []Phase{
		{Name: "steady", Duration: 200 * time.Millisecond},
		{Name: "outage", Duration: 200 * time.Millisecond, Faults: []FaultSpec{{Upstream: "primary", Fault: runTestBrokenFault{}}}},
	}}
	res, err := Run(context.Background(), sc, WithMockFactory(runTestMockFactory))
	var re *RunError
	g.Expect(errors.As(err, &re)).To(gomega.BeTrue(), "err %v", err)
	g.Expect(re.Stage).To(gomega.Equal(RunStageTimeline))
	g.Expect(err.Error()).To(gomega.ContainSubstring("cannot apply (on purpose)"))
	g.Expect(res).NotTo(gomega.BeNil())
	g.Expect(res.Interrupted).To(gomega.BeFalse(), "the timeline played to its end")
	g.Expect(res.Phases).To(gomega.HaveLen(2))
	_, ok := runTestEvent(res.Events, EventFaultError, "primary")
	g.Expect(ok).To(gomega.BeTrue(), "events %v", res.Events)
	g.Expect(len(res.Samples)).To(gomega.BeNumerically("~", 16, 3))
}

// TestRunFailsWhenAJournalOverflows: a mock whose journal hit its limit dropped attempts,
// so amplification and the retry metrics would undercount them: the run ends with a
// RunError naming the limit (exit 3), never a verdict computed from a cut journal.
func TestRunFailsWhenAJournalOverflows(t *testing.T) {
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent(), goleak.IgnoreTopFunction(sut.SpawnLoop))
	g := gomega.NewWithT(t)
	sc := runTestFailoverScenario(newRunTestFailoverApp())
	sc.Timeline = Timeline{Phases: []Phase{{Name: "steady", Duration: 500 * time.Millisecond}}}
	small := func(spec UpstreamSpec, seed int64) (control.Mock, error) {
		m, err := runTestMockFactory(spec, seed)
		if err == nil {
			m.Journal().SetLimit(3)
		}
		return m, err
	}
	res, err := Run(context.Background(), sc, WithMockFactory(small))
	var re *RunError
	g.Expect(errors.As(err, &re)).To(gomega.BeTrue(), "err %v", err)
	g.Expect(re.Stage).To(gomega.Equal(RunStageJournal))
	g.Expect(err.Error()).To(gomega.ContainSubstring("3 attempts"))
	g.Expect(res).NotTo(gomega.BeNil())
}
