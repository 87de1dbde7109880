//go:build unix

package harness

import (
	"context"
	"errors"
	"net"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/onsi/gomega"
	"go.uber.org/goleak"

	"github.com/llmchaos/llmchaos/harness/fault"
	"github.com/llmchaos/llmchaos/harness/load"
	"github.com/llmchaos/llmchaos/mocks/control"
	"github.com/llmchaos/llmchaos/mocks/llm"
)

// remoteTestMock serves a real LLM mock named name on loopback, as `llmchaos mock llm
// --name NAME` does, and returns it and its URL.
func remoteTestMock(t *testing.T, name string) (*llm.Server, string) {
	t.Helper()
	m, err := llm.New(llm.WithName(name))
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(control.WithAdmin(m))
	t.Cleanup(srv.Close)
	return m, srv.URL
}

// remoteTestScenario is the failover scenario with both providers remote and fault on
// the primary in the outage.
func remoteTestScenario(app *runTestFailoverApp, primary, secondary string, f fault.Fault) Scenario {
	sc := runTestFailoverScenario(app)
	sc.Upstreams[0].Remote, sc.Upstreams[1].Remote = primary, secondary
	sc.Timeline.Phases[1].Faults = []FaultSpec{{Upstream: "primary", Fault: f}}
	return sc
}

// Two runs share two remote mocks at the same time: each reads back only its own
// attempts (its run id is in its correlation ids), while the mocks' journals hold both.
func TestRunRemoteMocksSharedByTwoRuns(t *testing.T) {
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent(), goleak.IgnoreTopFunction("net/http.(*persistConn).writeLoop"),
		goleak.IgnoreTopFunction("internal/poll.runtime_pollWait"))
	g := gomega.NewWithT(t)
	pm, purl := remoteTestMock(t, "primary")
	sm, surl := remoteTestMock(t, "secondary")

	results := make([]*Result, 2)
	errs := make([]error, 2)
	var wg sync.WaitGroup
	for i := range results {
		wg.Go(func() {
			results[i], errs[i] = Run(context.Background(), remoteTestScenario(newRunTestFailoverApp(), purl, surl, &fault.Down{}))
		})
	}
	wg.Wait()
	total := 0
	prefixes := map[string]bool{}
	for i, res := range results {
		g.Expect(errs[i]).NotTo(gomega.HaveOccurred())
		g.Expect(res.Samples).NotTo(gomega.BeEmpty())
		id := res.Samples[0].ID
		prefix := id[:max(strings.LastIndex(id, "-"), 0)]
		g.Expect(prefix).To(gomega.MatchRegexp(`^run-failover\.[0-9a-f]{8}$`), "the run id is in the correlation ids")
		prefixes[prefix] = true
		// Two runs at once under -race on a loaded 2-core machine time some requests
		// out: what is checked here is whose attempts each run reads, not its verdicts.
		ids := map[string]bool{}
		ok := 0
		for _, s := range res.Samples {
			ids[s.ID] = true
			if s.OK() {
				ok++
			}
		}
		g.Expect(ok).To(gomega.BeNumerically(">", 0), "run %d: no request was answered", i)
		for _, name := range []string{"primary", "secondary"} {
			g.Expect(res.Journals[name]).NotTo(gomega.BeEmpty(), "%s's journal", name)
			for _, a := range res.Journals[name] {
				g.Expect(ids).To(gomega.HaveKey(a.CorrelationID), "run %d read another run's attempt from %s", i, name)
			}
			total += len(res.Journals[name])
		}
		// The outage was played on this run's proxy: the secondary served it.
		g.Expect(res.Journals["secondary"]).NotTo(gomega.BeEmpty())
	}
	g.Expect(prefixes).To(gomega.HaveLen(2), "each run has its own id")
	// Negative control: the shared primary saw both runs' attempts; the filter is what told
	// them apart. (Its journal may hold more than the runs read: attempts of requests the
	// app gave up on can arrive after a run read its journal.)
	seen := map[string]bool{}
	for _, a := range pm.Journal().Attempts() {
		if i := strings.LastIndex(a.CorrelationID, "-"); i > 0 && prefixes[a.CorrelationID[:i]] {
			seen[a.CorrelationID[:i]] = true
		}
	}
	g.Expect(seen).To(gomega.Equal(prefixes), "the shared primary served both runs")
	g.Expect(len(pm.Journal().Attempts()) + len(sm.Journal().Attempts())).To(gomega.BeNumerically(">=", total))
}

// A protocol fault reaches a remote mock through its admin API and is cleared at the
// phase's end; the run judges as with a mock of its own.
func TestRunRemoteProtocolFault(t *testing.T) {
	g := gomega.NewWithT(t)
	pm, purl := remoteTestMock(t, "primary")
	_, surl := remoteTestMock(t, "secondary")
	var during []map[string]control.Fault
	var mu sync.Mutex
	res, err := Run(context.Background(), remoteTestScenario(newRunTestFailoverApp(), purl, surl, fault.Status(503)),
		WithProgress(func(p Progress) {
			if p.Phase == "outage" && !p.Done {
				mu.Lock()
				during = append(during, pm.Faults())
				mu.Unlock()
			}
		}), WithProgressInterval(100*time.Millisecond))
	g.Expect(err).NotTo(gomega.HaveOccurred())
	mu.Lock()
	g.Expect(during).NotTo(gomega.BeEmpty())
	g.Expect(during[len(during)/2]).To(gomega.HaveLen(1), "the fault is on the remote mock during the outage")
	mu.Unlock()
	g.Expect(pm.Faults()).To(gomega.BeEmpty(), "the fault was cleared at the outage's end")
	failed := 0
	for _, a := range res.Journals["primary"] {
		if a.Status == 503 {
			failed++
			g.Expect(a.Fault).To(gomega.Equal("status"))
		}
	}
	g.Expect(failed).To(gomega.BeNumerically(">=", 30), "the primary answered 503 through the outage")
	g.Expect(res.Journals["secondary"]).NotTo(gomega.BeEmpty())
}

func TestRunRemoteErrors(t *testing.T) {
	g := gomega.NewWithT(t)
	_, purl := remoteTestMock(t, "primary")
	_, wrong := remoteTestMock(t, "other")
	app := newRunTestFailoverApp()

	// A remote mock that answers as another upstream would make served-by lie.
	_, err := Run(context.Background(), remoteTestScenario(app, purl, wrong, &fault.Down{}))
	var re *RunError
	g.Expect(errors.As(err, &re)).To(gomega.BeTrue(), "%v", err)
	g.Expect(re.Stage).To(gomega.Equal(RunStageEnv))
	g.Expect(err.Error()).To(gomega.ContainSubstring("--name secondary"))

	// No mock there.
	ln, lerr := net.Listen("tcp", "127.0.0.1:0")
	g.Expect(lerr).NotTo(gomega.HaveOccurred())
	gone := "http://" + ln.Addr().String()
	ln.Close()
	_, err = Run(context.Background(), remoteTestScenario(app, purl, gone, &fault.Down{}))
	g.Expect(errors.As(err, &re)).To(gomega.BeTrue(), "%v", err)
	g.Expect(err.Error()).To(gomega.ContainSubstring("is the mock running"))

	// Bad input is a ScenarioError, before anything starts.
	for _, c := range []struct {
		field string
		mod   func(ups []UpstreamSpec)
	}{
		{"upstreams[0].remote", func(ups []UpstreamSpec) { ups[0].Remote = "https://mocks:8080" }},
		{"upstreams[1].remote", func(ups []UpstreamSpec) { ups[1].AnswerWords = 20 }},
		{"upstreams[0].listen", func(ups []UpstreamSpec) { ups[0].Listen = "0.0.0.0:99999" }},
		{"upstreams[1].listen", func(ups []UpstreamSpec) { ups[0].Listen, ups[1].Listen = "0.0.0.0:18080", "0.0.0.0:18080" }},
	} {
		sc := remoteTestScenario(app, purl, purl, &fault.Down{})
		c.mod(sc.Upstreams)
		_, err := Run(context.Background(), sc)
		var se *ScenarioError
		g.Expect(errors.As(err, &se)).To(gomega.BeTrue(), "%s: %v", c.field, err)
		g.Expect(se.Field).To(gomega.Equal(c.field), "%v", err)
	}
}

// A fixed listen address needs an external Toxiproxy; with one, the proxy listens there.
func TestRunFixedListenAddress(t *testing.T) {
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent(), goleak.IgnoreTopFunction("net/http.(*persistConn).writeLoop"),
		goleak.IgnoreTopFunction("internal/poll.runtime_pollWait"))
	g := gomega.NewWithT(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	g.Expect(err).NotTo(gomega.HaveOccurred())
	fixed := ln.Addr().String()
	ln.Close()

	app := newRunTestFailoverApp()
	sc := runTestFailoverScenario(app)
	sc.Upstreams[0].Listen = fixed
	_, err = Run(context.Background(), sc, WithMockFactory(runTestMockFactory))
	var se *ScenarioError
	g.Expect(errors.As(err, &se)).To(gomega.BeTrue(), "%v", err)
	g.Expect(se.Field).To(gomega.Equal("upstreams[0].listen"))
	g.Expect(se.Msg).To(gomega.ContainSubstring("--toxiproxy"))

	res, err := Run(context.Background(), sc, WithMockFactory(runTestMockFactory), WithToxiproxy(envTestExternalToxiproxy(t)))
	g.Expect(err).NotTo(gomega.HaveOccurred())
	g.Expect(app.upstreamURLs()).To(gomega.ContainElement("http://"+fixed), "the app was given the fixed address")
	g.Expect(res.Journals["primary"]).NotTo(gomega.BeEmpty())
	runTestRefused(g, "http://"+fixed)
}

// A journal emptied during the run lost the run's attempts: the run says so instead of
// judging what is left.
func TestRunRemoteJournalResetFails(t *testing.T) {
	g := gomega.NewWithT(t)
	pm, purl := remoteTestMock(t, "primary")
	_, surl := remoteTestMock(t, "secondary")
	var once sync.Once
	sc := remoteTestScenario(newRunTestFailoverApp(), purl, surl, &fault.Down{})
	sc.Timeline.Phases = sc.Timeline.Phases[:1]
	res, err := Run(context.Background(), sc, WithSampleHook(func(s load.Sample) {
		if s.Seq >= 10 {
			once.Do(pm.Journal().Reset)
		}
	}))
	var re *RunError
	g.Expect(errors.As(err, &re)).To(gomega.BeTrue(), "%v", err)
	g.Expect(re.Stage).To(gomega.Equal(RunStageJournal))
	g.Expect(err.Error()).To(gomega.ContainSubstring("emptied during the run"))
	g.Expect(res).NotTo(gomega.BeNil())
}

// A remote journal that was full and dropped attempts during the run may have lost the
// run's: the run says so instead of judging what is left.
func TestRunRemoteJournalFullFails(t *testing.T) {
	g := gomega.NewWithT(t)
	pm, purl := remoteTestMock(t, "primary")
	_, surl := remoteTestMock(t, "secondary")
	pm.Journal().SetLimit(5)
	sc := remoteTestScenario(newRunTestFailoverApp(), purl, surl, &fault.Down{})
	sc.Timeline.Phases = sc.Timeline.Phases[:1]
	_, err := Run(context.Background(), sc)
	var re *RunError
	g.Expect(errors.As(err, &re)).To(gomega.BeTrue(), "%v", err)
	g.Expect(re.Stage).To(gomega.Equal(RunStageJournal))
	g.Expect(err.Error()).To(gomega.ContainSubstring("was full"))
}

// A long-lived shared mock whose journal is at its limit drops its oldest attempts during
// the run, another run's from before this one started: the run still reads all of its own
// and judges, since its attempts are the newest. (TestRunRemoteJournalFullFails is the
// negative control: there the run's own attempts are dropped.)
func TestRunRemoteJournalRingKeepsTheRun(t *testing.T) {
	g := gomega.NewWithT(t)
	pm, purl := remoteTestMock(t, "primary")
	_, surl := remoteTestMock(t, "secondary")
	pm.Journal().SetLimit(100)
	for i := range 300 { // an earlier run's attempts fill the ring
		pm.Journal().Record(control.Attempt{Seq: pm.Journal().Begin(), CorrelationID: "earlier.00000000-" + strings.Repeat("1", i%3+1)})
	}
	sc := remoteTestScenario(newRunTestFailoverApp(), purl, surl, &fault.Down{})
	sc.Timeline.Phases = sc.Timeline.Phases[:1]
	res, err := Run(context.Background(), sc)
	g.Expect(err).NotTo(gomega.HaveOccurred())
	st := pm.Journal().Stats()
	g.Expect(st.Dropped).To(gomega.BeNumerically(">", 200), "the run's attempts pushed earlier ones out of the ring: %+v", st)
	g.Expect(st.DroppedThrough).To(gomega.BeNumerically("<=", 300), "only the earlier run's were dropped")
	answered := 0
	for _, s := range res.Samples {
		if s.ServedBy == "primary" {
			answered++
		}
	}
	g.Expect(answered).To(gomega.BeNumerically(">", 0))
	g.Expect(len(res.Journals["primary"])).To(gomega.BeNumerically(">=", answered), "the run read every attempt of its own")
}

// lostDuringRun: a ring dropping attempts from before the run loses none of the run's; one
// dropping past the run's first seq may have; a mock that reports no DroppedThrough (an
// older one, which kept its first attempts) lost some when its Dropped count grew.
func TestLostDuringRun(t *testing.T) {
	cases := []struct {
		st        control.JournalStats
		from, was int
		lost      bool
	}{
		{control.JournalStats{Dropped: 50, DroppedThrough: 300}, 300, 10, false},
		{control.JournalStats{Dropped: 51, DroppedThrough: 301}, 300, 10, true},
		{control.JournalStats{Dropped: 0}, 300, 0, false},
		{control.JournalStats{Dropped: 7}, 300, 5, true},
		{control.JournalStats{Dropped: 5}, 300, 5, false},
	}
	for _, c := range cases {
		if got := lostDuringRun(c.st, c.from, c.was); got != c.lost {
			t.Errorf("lostDuringRun(%+v, from %d, dropped at start %d) = %v, want %v", c.st, c.from, c.was, got, c.lost)
		}
	}
}
