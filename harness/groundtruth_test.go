package harness_test

import (
	"context"
	"fmt"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/llmchaos/llmchaos/harness/fault"
	"github.com/llmchaos/llmchaos/harness/internal/sut"
	"github.com/llmchaos/llmchaos/harness/load"

	toxiproxy "github.com/Shopify/toxiproxy/v2"
	toxiclient "github.com/Shopify/toxiproxy/v2/client"
	"github.com/onsi/gomega"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/rs/zerolog"
	"go.uber.org/goleak"

	"github.com/llmchaos/llmchaos/harness"
	"github.com/llmchaos/llmchaos/harness/slo"
)

// Ground truth: the harness's verdicts checked through real runs (harness.Run: the real
// mocks behind Toxiproxy, the open-loop driver, an app under test whose behaviour is
// known exactly, gtApp). Every test builds its scenario in Go, runs it, and compares what
// slo measured with what the app is known to have done (its policy, and its own clock:
// it runs in-process, so it shares the harness's).

// gtRate is the driver's rate; gtInterval the request interval.
const (
	gtRate     = 50
	gtInterval = time.Second / gtRate
)

// gtTol is the design's ttf tolerance (docs/design.md): max(50 ms, 2 request intervals).
var gtTol = max(50*time.Millisecond, 2*gtInterval)

// gtFailbackLag is the most failback may exceed the app's FailbackDelay: its probe lag
// (gtProbeEvery and the next request) plus gtTol. See gtExpectFailback.
var gtFailbackLag = gtProbeEvery + gtInterval + gtTol

// The timelines: the long one measures failover and failback, the short one counts attempts.
var (
	gtLong  = [3]time.Duration{time.Second, 3 * time.Second, 2500 * time.Millisecond}
	gtShort = [3]time.Duration{500 * time.Millisecond, 2 * time.Second, 500 * time.Millisecond}
)

// gtScenario is steady / outage (fault on the primary) / recovery with load through app.
func gtScenario(name string, app *gtApp, f fault.Fault, phases [3]time.Duration) harness.Scenario {
	return harness.Scenario{
		Name: name,
		Seed: 11,
		Upstreams: []harness.UpstreamSpec{
			{Name: "primary", Kind: harness.KindOpenAI},
			{Name: "secondary", Kind: harness.KindOpenAI},
		},
		SUT: harness.SUTSpec{Handler: app},
		Load: load.Spec{Rate: gtRate, Timeout: 3 * time.Second, Request: load.Request{
			Protocol: load.ProtocolOpenAIChat,
			Headers: map[string]string{
				"x-primary":   "{{ .Upstreams.primary.URL }}",
				"x-secondary": "{{ .Upstreams.secondary.URL }}",
			},
		}},
		Timeline: harness.Timeline{Phases: []harness.Phase{
			{Name: "steady", Duration: phases[0]},
			{Name: "outage", Duration: phases[1], Faults: []harness.FaultSpec{{Upstream: "primary", Fault: f}}},
			{Name: "recovery", Duration: phases[2]},
		}},
	}
}

// gtOutcome is one ground-truth run: the result, its metrics, the fault's applied and
// reverted events, and what the app did.
type gtOutcome struct {
	res              *harness.Result
	m                slo.Metrics
	applied, revert  harness.Event
	start, end       time.Duration // the fault's applied and reverted instants, from res.Start
	facts            gtFacts
	outage, recovery slo.PhaseMetrics
}

// gtRun runs sc against app and checks the run itself went as planned: no error, one
// fault window that slo places exactly at the timeline's fault events.
func gtRun(t *testing.T, sc harness.Scenario, app *gtApp, opts ...harness.RunOption) gtOutcome {
	t.Helper()
	t.Cleanup(app.Close)
	g := gomega.NewWithT(t)
	res, err := harness.Run(context.Background(), sc, opts...)
	g.Expect(err).NotTo(gomega.HaveOccurred())
	g.Expect(res.Interrupted).To(gomega.BeFalse())
	g.Expect(res.Interval).To(gomega.Equal(gtInterval))
	o := gtOutcome{res: res, m: slo.Compute(res), facts: app.Facts()}
	var applied, reverted int
	for _, e := range res.Events {
		switch e.Kind {
		case harness.EventFaultApplied:
			o.applied = e
			applied++
		case harness.EventFaultReverted:
			o.revert = e
			reverted++
		case harness.EventFaultError:
			t.Fatalf("fault error: %s", e.Detail)
		}
	}
	g.Expect([]int{applied, reverted}).To(gomega.Equal([]int{1, 1}), "events %v", res.Events)
	o.start, o.end = o.applied.At.Sub(res.Start), o.revert.At.Sub(res.Start)
	g.Expect(o.m.Faults).To(gomega.HaveLen(1))
	g.Expect(o.m.Faults[0].Start).To(gomega.Equal(o.start), "the fault window starts when the fault was applied")
	g.Expect(o.m.Faults[0].End).To(gomega.Equal(o.end), "the fault window ends when the fault was reverted")
	for _, p := range o.m.Phases {
		switch p.Name {
		case "outage":
			o.outage = p
		case "recovery":
			o.recovery = p
		}
	}
	g.Expect(o.outage.Requests).To(gomega.BeNumerically("~", sc.Timeline.Phases[1].Duration/gtInterval, 3))
	w := o.m.Faults[0]
	t.Logf("%s: apply took %s, revert took %s", sc.Name, o.applied.Took, o.revert.Took)
	t.Logf("%s: fault %s–%s; ttf %s; failback %s; amplification outage %.3f; retry-after violations %d; outage %d requests %d ok %v",
		sc.Name, o.start, o.end, gtMeasure(o.m.TTF), gtMeasure(o.m.Failback), o.outage.Amplification,
		o.m.RetryAfterViolations, o.outage.Requests, o.outage.OK, o.outage.Outcomes)
	t.Logf("%s: %s", sc.Name, w.TTFStory())
	t.Logf("%s: %s", sc.Name, w.FailbackStory(slo.DefaultFailbackShare))
	t.Logf("%s: app facts: %s", sc.Name, o.appFacts())
	return o
}

// since is t as an offset from the run's start ("-" when zero).
func (o gtOutcome) since(t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	return t.Sub(o.res.Start).String()
}

func (o gtOutcome) appFacts() string {
	f := o.facts
	return fmt.Sprintf("first failure %s, failed over %s, probe ok %s, failed back %s, last refusal %s (%d refusals)",
		o.since(f.EverFailed), o.since(f.FailedOverAt), o.since(f.ProbeOKAt), o.since(f.FailedBackAt), o.since(f.LastRefusal), f.Refusals)
}

func gtMeasure(m slo.Measure) string {
	switch {
	case m.None:
		return "n/a"
	case m.Never:
		return "never"
	}
	return m.Value.String()
}

// gtLeakCheck registers, before anything else, a check that every goroutine started
// after this call is gone once the test (and its subtests and cleanups) ended.
func gtLeakCheck(t *testing.T) {
	t.Helper()
	opts := []goleak.Option{goleak.IgnoreCurrent(), goleak.IgnoreTopFunction(sut.SpawnLoop)}
	t.Cleanup(func() {
		if err := goleak.Find(opts...); err != nil {
			t.Errorf("goroutines left behind by the ground-truth runs: %v", err)
		}
	})
}

// gtExpectFailover checks a run of an app that fails over after d and fails back at once.
func gtExpectFailover(t *testing.T, o gtOutcome, d time.Duration) {
	t.Helper()
	g := gomega.NewWithT(t)
	g.Expect(o.m.TTF.Never || o.m.TTF.None).To(gomega.BeFalse(), "ttf %s", gtMeasure(o.m.TTF))
	// The fault is stamped when its Apply began and took effect within Took of it, so
	// the app can first see it up to Took later: the upper bounds carry Took (0 on a quiet
	// machine, up to hundreds of ms on a loaded one), the lower ones do not.
	took := o.applied.Took
	g.Expect(o.m.TTF.Value).To(gomega.And(
		gomega.BeNumerically(">=", d-gtTol), gomega.BeNumerically("<=", d+gtTol+took)),
		"ttf of an app that fails over after %s (apply took %s); app: %s", d, took, o.appFacts())
	// The app saw its first failure as the fault started and really did fail over d
	// later by its own clock (the ground truth holds).
	g.Expect(o.facts.EverFailed.Sub(o.applied.At)).To(gomega.And(
		gomega.BeNumerically(">=", -gtTol), gomega.BeNumerically("<=", gtTol+took)))
	g.Expect(o.facts.FailedOverAt.Sub(o.facts.EverFailed)).To(gomega.BeNumerically(">=", d))
	g.Expect(o.facts.FailedOverAt.Sub(o.applied.At)).To(gomega.And(
		gomega.BeNumerically(">=", d-gtTol), gomega.BeNumerically("<=", d+gtTol+took)))
	g.Expect(o.outage.ServedBy["secondary"]).To(gomega.BeNumerically(">", 0))
	g.Expect(o.res).To(slo.FailOverWithin(d + gtTol + took))
	if d > gtTol {
		g.Expect(o.res).NotTo(slo.FailOverWithin(d - gtTol))
	}
	gtExpectFailback(t, o, 0)
}

// gtExpectFailback checks the failback of an app that goes back to the primary f after
// its first successful probe. The app notices the recovery at its first probe after the
// revert: up to gtProbeEvery + one interval later (probes ride on requests, so the
// next one after gtProbeEvery carries it). The measure itself is quantized to the
// schedule: the first primary-served sample is scheduled at most one interval after the
// switch, and one scheduled shortly before it may reach the app after it. So failback ∈
// [f − tol, f + gtProbeEvery + gtInterval + tol], tol = max(50 ms, 2 intervals).
func gtExpectFailback(t *testing.T, o gtOutcome, f time.Duration) {
	t.Helper()
	g := gomega.NewWithT(t)
	g.Expect(o.m.Failback.Never || o.m.Failback.None).To(gomega.BeFalse(), "failback %s", gtMeasure(o.m.Failback))
	took := o.revert.Took // the revert began at revert.At and took effect within took
	g.Expect(o.m.Failback.Value).To(gomega.And(
		gomega.BeNumerically(">=", f-gtTol), gomega.BeNumerically("<=", f+gtFailbackLag+took)),
		"failback of an app that fails back %s after its first successful probe (revert took %s); app: %s", f, took, o.appFacts())
	// The app's own switch agrees with the measure.
	g.Expect(o.facts.FailedBackAt.IsZero()).To(gomega.BeFalse())
	g.Expect(o.facts.FailedBackAt.Sub(o.revert.At)).To(gomega.BeNumerically("~", o.m.Failback.Value, gtTol))
	g.Expect(o.res).To(slo.FailBackWithin(f + gtFailbackLag + took))
	g.Expect(o.recovery.ServedBy["primary"]).To(gomega.BeNumerically(">", 0))
}

func TestGroundTruth(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: skipping the ground-truth runs (ttf, failback, amplification against a scripted app); make test runs them")
	}
	gtLeakCheck(t)

	for _, d := range []time.Duration{0, 500 * time.Millisecond, 1500 * time.Millisecond} {
		t.Run(fmt.Sprintf("ttf_failover_after_%s", d), func(t *testing.T) {
			t.Parallel()
			app := newGTApp(gtPolicy{FailoverDelay: d})
			o := gtRun(t, gtScenario("gt-failover-"+d.String(), app, &fault.Down{}, gtLong), app)
			gtExpectFailover(t, o, d)
		})
	}

	t.Run("ttf_status_fault_failover_after_500ms", func(t *testing.T) {
		t.Parallel()
		app := newGTApp(gtPolicy{FailoverDelay: 500 * time.Millisecond})
		o := gtRun(t, gtScenario("gt-failover-503", app, fault.Status(503), gtLong), app)
		gtExpectFailover(t, o, 500*time.Millisecond)
	})

	t.Run("ttf_never_fails_over", func(t *testing.T) {
		t.Parallel()
		g := gomega.NewWithT(t)
		app := newGTApp(gtPolicy{NeverFailOver: true})
		o := gtRun(t, gtScenario("gt-never", app, &fault.Down{}, gtLong), app)
		g.Expect(o.m.TTF.Never).To(gomega.BeTrue(), "ttf %s", gtMeasure(o.m.TTF))
		g.Expect(o.outage.OK).To(gomega.BeNumerically("<=", 1), "the app served nothing during the outage")
		m := slo.FailOverWithin(2 * time.Second)
		ok, err := m.Match(o.res)
		g.Expect(err).NotTo(gomega.HaveOccurred())
		g.Expect(ok).To(gomega.BeFalse())
		msg := m.FailureMessage(o.res)
		t.Logf("failure message:\n%s", msg)
		g.Expect(msg).To(gomega.ContainSubstring(fmt.Sprintf("%.2fs", o.start.Seconds())), "the message shows when the fault started")
		g.Expect(msg).To(gomega.ContainSubstring(fmt.Sprintf("%.2fs", o.end.Seconds())), "the message shows when the fault ended")
		g.Expect(msg).To(gomega.ContainSubstring("never"))
		g.Expect(msg).To(gomega.ContainSubstring("fault down on primary"))
		v, err := slo.EvaluateStrings(o.res, []string{"ttf <= 10s"})
		g.Expect(err).NotTo(gomega.HaveOccurred())
		g.Expect(v.Pass).To(gomega.BeFalse(), "never fails any ttf SLO, whatever its bound")
	})

	t.Run("ttf_flapping_app_is_not_settled_early", func(t *testing.T) {
		t.Parallel()
		g := gomega.NewWithT(t)
		const flap = 300 * time.Millisecond
		app := newGTApp(gtPolicy{Flap: flap})
		o := gtRun(t, gtScenario("gt-flap", app, &fault.Down{}, gtLong), app)
		// The app did flap: it served from the secondary and refused in bursts up to late
		// in the fault.
		g.Expect(o.outage.ServedBy["secondary"]).To(gomega.BeNumerically(">", 0))
		g.Expect(o.facts.Refusals).To(gomega.BeNumerically(">", 0))
		lastBurst := o.facts.LastRefusal.Sub(o.applied.At)
		g.Expect(lastBurst).To(gomega.BeNumerically(">", o.end-o.start-3*flap), "the last failure burst is near the fault's end")
		if !o.m.TTF.Never {
			g.Expect(o.m.TTF.Value).To(gomega.BeNumerically(">=", lastBurst-gtTol),
				"a flapping app settles no sooner than its last failure burst; app: %s", o.appFacts())
		}
		g.Expect(o.res).NotTo(slo.FailOverWithin(2 * time.Second))
	})

	t.Run("failback_after_1s", func(t *testing.T) {
		t.Parallel()
		app := newGTApp(gtPolicy{FailbackDelay: time.Second})
		o := gtRun(t, gtScenario("gt-failback-1s", app, &fault.Down{}, gtLong), app)
		gtExpectFailback(t, o, time.Second)
		gomega.NewWithT(t).Expect(o.res).NotTo(slo.FailBackWithin(time.Second - gtTol))
	})

	t.Run("failback_never", func(t *testing.T) {
		t.Parallel()
		g := gomega.NewWithT(t)
		app := newGTApp(gtPolicy{NeverFailBack: true})
		o := gtRun(t, gtScenario("gt-failback-never", app, &fault.Down{}, gtLong), app)
		g.Expect(o.m.TTF.Value).To(gomega.BeNumerically("<=", gtTol+o.applied.Took))
		g.Expect(o.m.Failback.Never).To(gomega.BeTrue(), "failback %s", gtMeasure(o.m.Failback))
		g.Expect(o.recovery.ServedBy["primary"]).To(gomega.BeZero())
		g.Expect(o.res).NotTo(slo.FailBackWithin(2 * time.Second))
	})

	for _, k := range []int{0, 2} {
		t.Run(fmt.Sprintf("amplification_retries_%d", k), func(t *testing.T) {
			t.Parallel()
			g := gomega.NewWithT(t)
			app := newGTApp(gtPolicy{NeverFailOver: true, Retries: k})
			o := gtRun(t, gtScenario(fmt.Sprintf("gt-amplification-%d", k), app, fault.Status(503), gtShort), app)
			g.Expect(o.outage.Amplification).To(gomega.BeNumerically("~", k+1, 0.1))
			g.Expect(o.m.Phases[0].Amplification).To(gomega.BeNumerically("~", 1, 0.1), "steady state is 1.0")
			v, err := slo.EvaluateStrings(o.res, []string{fmt.Sprintf("amplification(outage) <= %g", float64(k)+1.1)})
			g.Expect(err).NotTo(gomega.HaveOccurred())
			g.Expect(v.Pass).To(gomega.BeTrue(), "%+v", v.Checks)
			if k > 0 {
				v, err = slo.EvaluateStrings(o.res, []string{fmt.Sprintf("amplification(outage) <= %g", float64(k)+0.5)})
				g.Expect(err).NotTo(gomega.HaveOccurred())
				g.Expect(v.Pass).To(gomega.BeFalse(), "a retry storm of %d is caught", k+1)
			}
		})
	}

	t.Run("retry_after_ignored", func(t *testing.T) {
		t.Parallel()
		g := gomega.NewWithT(t)
		app := newGTApp(gtPolicy{NeverFailOver: true, OnRateLimit: gtRetryAtOnce})
		o := gtRun(t, gtScenario("gt-retry-after-ignored", app, fault.RateLimited(500*time.Millisecond, fault.WithRetryAfterMs()), gtShort), app)
		g.Expect(gtRetried(o)).To(gomega.BeNumerically(">=", o.outage.Requests/2))
		g.Expect(o.m.RetryAfterViolations).To(gomega.BeNumerically(">=", o.outage.Requests/2))
		for _, v := range o.m.Violations {
			g.Expect(v.Asked).To(gomega.Equal(500 * time.Millisecond))
			g.Expect(v.Waited).To(gomega.BeNumerically("<", 500*time.Millisecond-slo.DefaultRetryAfterTolerance))
		}
		g.Expect(o.res).NotTo(slo.HonourRetryAfter())
	})

	t.Run("retry_after_honoured", func(t *testing.T) {
		t.Parallel()
		g := gomega.NewWithT(t)
		app := newGTApp(gtPolicy{NeverFailOver: true, OnRateLimit: gtHonour})
		o := gtRun(t, gtScenario("gt-retry-after-honoured", app, fault.RateLimited(500*time.Millisecond, fault.WithRetryAfterMs()), gtShort), app)
		// The app did retry (the check is not vacuous), and only after the Retry-After.
		g.Expect(gtRetried(o)).To(gomega.BeNumerically(">=", o.outage.Requests/2))
		g.Expect(o.m.RetryAfterViolations).To(gomega.BeZero(), "%+v", o.m.Violations)
		g.Expect(o.res).To(slo.HonourRetryAfter())
	})
}

// gtRetried counts the correlation ids the primary saw more than once.
func gtRetried(o gtOutcome) int {
	seen := map[string]int{}
	for _, a := range o.res.Journals["primary"] {
		if a.CorrelationID != "" {
			seen[a.CorrelationID]++
		}
	}
	n := 0
	for _, c := range seen {
		if c > 1 {
			n++
		}
	}
	return n
}

// TestGroundTruthExternalToxiproxy runs the D=0 failover through an external Toxiproxy
// server (its HTTP API, as the CLI's --toxiproxy does) and checks the same ttf, that the
// run's proxies lived on that server, and that none is left there afterwards.
func TestGroundTruthExternalToxiproxy(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: skipping the ground-truth run through an external Toxiproxy; make test runs it")
	}
	gtLeakCheck(t)
	g := gomega.NewWithT(t)
	srv := toxiproxy.NewServer(toxiproxy.NewMetricsContainer(prometheus.NewRegistry()), zerolog.Nop())
	api := httptest.NewServer(srv.Routes())
	t.Cleanup(func() {
		api.Close()
		if err := srv.Collection.Clear(); err != nil {
			t.Errorf("clear the toxiproxy server: %v", err)
		}
	})
	client := toxiclient.NewClient(api.URL)
	ours := func() ([]string, error) {
		ps, err := client.Proxies()
		if err != nil {
			return nil, err
		}
		var names []string
		for name := range ps {
			if strings.HasPrefix(name, "llmchaos-") {
				names = append(names, name)
			}
		}
		return names, nil
	}

	var (
		mu     sync.Mutex
		during []string
		lerr   error
	)
	// List the proxies in the middle of the outage, a second away from the fault's apply
	// and revert: Toxiproxy v2.12.0's API reads a proxy's Enabled flag without its lock
	// (ProxyIndex) while ProxyUpdate writes it, a data race in Toxiproxy that -race reports
	// when the two meet.
	mid := gtLong[0] + gtLong[1]/2
	listOnce := func(p harness.Progress) {
		mu.Lock()
		defer mu.Unlock()
		if p.Phase == "outage" && p.Elapsed >= mid && during == nil && lerr == nil {
			during, lerr = ours()
		}
	}
	app := newGTApp(gtPolicy{})
	o := gtRun(t, gtScenario("gt-external-toxiproxy", app, &fault.Down{}, gtLong), app,
		harness.WithToxiproxy(api.URL), harness.WithProgress(listOnce))
	gtExpectFailover(t, o, 0)

	mu.Lock()
	g.Expect(lerr).NotTo(gomega.HaveOccurred())
	g.Expect(during).To(gomega.HaveLen(2), "the run's two proxies lived on the external server")
	mu.Unlock()
	after, err := ours()
	g.Expect(err).NotTo(gomega.HaveOccurred())
	g.Expect(after).To(gomega.BeEmpty(), "no llmchaos proxy is left on the server after Run")
}
