package reports

import (
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/llmchaos/llmchaos/harness"
	"github.com/llmchaos/llmchaos/harness/load"
	"github.com/llmchaos/llmchaos/harness/slo"
)

// Planted secrets: none of them may appear in any rendered output.
const (
	plantedKey     = "sk-ant-api03-PLANTEDkeyDoNotLeak0123456789"
	plantedBearer  = "plantedBearerTokenValue987654321"
	plantedLiteral = "hunter2-literal-secret-value"
	hostile        = `<script>alert("x")</script> | ` + "`rm -rf`" + ` & <img src=x onerror=alert(1)>`
)

var fixtureStart = time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)

// fixtureGenerated stamps the summary of the golden files.
var fixtureGenerated = time.Date(2025, 1, 2, 4, 0, 0, 0, time.UTC)

func at(d time.Duration) time.Time { return fixtureStart.Add(d) }

// series builds 40 half-second buckets of 10 requests; served says, per bucket start,
// which upstream served the OK requests and how many failed.
func series(served func(t time.Duration) (string, int), p99 func(t time.Duration) time.Duration) []slo.Point {
	var out []slo.Point
	for i := 0; i < 40; i++ {
		t := time.Duration(i) * 500 * time.Millisecond
		up, failed := served(t)
		ok := 10 - failed
		p := slo.Point{T: t, Requests: 10, OK: ok, SuccessRate: float64(ok) / 10, P99: p99(t), ServedBy: map[string]int{}}
		if ok > 0 {
			p.ServedBy[up] = ok
		}
		out = append(out, p)
	}
	return out
}

func phasesSpans() []harness.PhaseSpan {
	return []harness.PhaseSpan{
		{Name: "steady", Start: at(0), End: at(4 * time.Second)},
		{Name: "outage", Start: at(4 * time.Second), End: at(12 * time.Second)},
		{Name: "recovery", Start: at(12 * time.Second), End: at(20 * time.Second)},
	}
}

func faultEvents() []harness.Event {
	return []harness.Event{
		{At: at(0), Kind: harness.EventPhaseStart, Phase: "steady"},
		{At: at(4 * time.Second), Kind: harness.EventPhaseStart, Phase: "outage"},
		{At: at(4*time.Second + 2*time.Millisecond), Kind: harness.EventFaultApplied, Phase: "outage", FaultID: "f1",
			Upstream: "primary", FaultKind: "down", Detail: "primary: connections refused"},
		{At: at(12 * time.Second), Kind: harness.EventFaultReverted, Phase: "outage", FaultID: "f1", Upstream: "primary", FaultKind: "down"},
		{At: at(12 * time.Second), Kind: harness.EventPhaseStart, Phase: "recovery"},
	}
}

func pct(p50, p90, p99, mx time.Duration, n int) slo.Percentiles {
	return slo.Percentiles{N: n, P50: p50, P90: p90, P95: (p90 + p99) / 2, P99: p99, Max: mx}
}

// passingFixture: the gateway fails over after 800 ms and fails back 1.2 s after the fault.
func passingFixture() (*harness.Result, slo.Verdict) {
	res := &harness.Result{
		Scenario: "provider-dropout",
		Start:    fixtureStart, End: at(20 * time.Second), Interval: 50 * time.Millisecond,
		Phases: phasesSpans(),
		Kinds:  map[string]harness.UpstreamKind{"primary": harness.KindOpenAI, "secondary": harness.KindAnthropic, "collector": harness.KindOTLP},
		Events: faultEvents(),
		SUTLog: []string{
			"gateway listening on 127.0.0.1:40001",
			"primary failed: dial tcp 127.0.0.1:40002: connect: connection refused; switching to secondary",
			"primary healthy again; failing back",
		},
	}
	for i := 0; i < 16; i++ {
		res.Samples = append(res.Samples, load.Sample{Seq: 80 + i, Phase: "outage", Scheduled: at(4*time.Second + time.Duration(i)*50*time.Millisecond),
			Outcome: load.OutcomeHTTPError, Status: 502, Error: "502 Bad Gateway: upstream primary refused the connection"})
	}
	fault := slo.FaultWindow{ID: "f1", Upstream: "primary", Kind: "down", Detail: "primary: connections refused",
		Start: 4 * time.Second, End: 12 * time.Second,
		TTF: slo.Measure{Value: 800 * time.Millisecond}, Failback: slo.Measure{Value: 1200 * time.Millisecond},
		Samples: 160, Failures: 16}
	v := slo.Verdict{
		Scenario: "provider-dropout", Pass: true,
		Checks: []slo.Check{
			{Expr: "ttf <= 2s", Observed: "800ms", Value: 0.8, Pass: true},
			{Expr: "failback <= 5s", Observed: "1.2s", Value: 1.2, Pass: true},
			{Expr: "availability(outage) >= 0.95", Observed: "0.980", Value: 0.98, Pass: true},
			{Expr: "p99(latency, outage) <= 1500ms", Observed: "1.12s", Value: 1.12, Pass: true},
			{Expr: "amplification(outage) <= 2", Observed: "1.10", Value: 1.1, Pass: true},
		},
		Metrics: slo.Metrics{
			TTF: fault.TTF, Failback: fault.Failback, Amplification: 1.04,
			MaxErrorBurst:        slo.Burst{Count: 16, Start: 4 * time.Second, Duration: 800 * time.Millisecond},
			RetryAfterViolations: 0,
			Telemetry: slo.Telemetry{Faulted: true, FaultedRequests: 40, FaultedAvailability: 1, FaultedP99: 430 * time.Millisecond,
				SteadyRequests: 80, SteadyAvailability: 1, SteadyP99: 420 * time.Millisecond, LatencyRatio: 430.0 / 420,
				Resumed: true, LastFaultEnd: 12 * time.Second, ResumedAt: 12400 * time.Millisecond},
			Phases: []slo.PhaseMetrics{
				{Name: "steady", Start: 0, End: 4 * time.Second, Requests: 80, OK: 80, Availability: 1,
					Latency:  pct(310*time.Millisecond, 380*time.Millisecond, 420*time.Millisecond, 450*time.Millisecond, 80),
					TTFT:     pct(40*time.Millisecond, 55*time.Millisecond, 70*time.Millisecond, 75*time.Millisecond, 80),
					ServedBy: map[string]int{"primary": 80}, Attempts: 80, Amplification: 1, Outcomes: map[string]int{"ok": 80}},
				{Name: "outage", Start: 4 * time.Second, End: 12 * time.Second, Requests: 160, OK: 144, Availability: 0.9,
					Latency:  pct(350*time.Millisecond, 700*time.Millisecond, 1120*time.Millisecond, 1300*time.Millisecond, 160),
					TTFT:     pct(60*time.Millisecond, 90*time.Millisecond, 400*time.Millisecond, 600*time.Millisecond, 144),
					ServedBy: map[string]int{"secondary": 144}, Attempts: 176, Amplification: 1.1, Outcomes: map[string]int{"ok": 144, "http_error": 16}},
				{Name: "recovery", Start: 12 * time.Second, End: 20 * time.Second, Requests: 160, OK: 160, Availability: 1,
					Latency:  pct(320*time.Millisecond, 390*time.Millisecond, 430*time.Millisecond, 480*time.Millisecond, 160),
					TTFT:     pct(42*time.Millisecond, 56*time.Millisecond, 71*time.Millisecond, 80*time.Millisecond, 160),
					ServedBy: map[string]int{"primary": 136, "secondary": 24}, Attempts: 160, Amplification: 1, Outcomes: map[string]int{"ok": 160}},
			},
			Faults: []slo.FaultWindow{fault},
			Series: series(func(t time.Duration) (string, int) {
				switch {
				case t < 4*time.Second:
					return "primary", 0
				case t < 4800*time.Millisecond:
					return "secondary", 10
				case t < 13200*time.Millisecond:
					return "secondary", 0
				}
				return "primary", 0
			}, func(t time.Duration) time.Duration {
				if t >= 4*time.Second && t < 6*time.Second {
					return 1120 * time.Millisecond
				}
				return 420*time.Millisecond + time.Duration(t/time.Second)*3*time.Millisecond
			}),
			Bucket: 500 * time.Millisecond,
		},
	}
	return res, v
}

// failingFixture: a naive client that never fails over; its log and errors hold planted
// secrets and hostile markup.
func failingFixture() (*harness.Result, slo.Verdict) {
	res := &harness.Result{
		Scenario: "naive-client",
		Start:    fixtureStart, End: at(20 * time.Second), Interval: 50 * time.Millisecond,
		Phases: phasesSpans(),
		Kinds:  map[string]harness.UpstreamKind{"primary": harness.KindOpenAI, "secondary": harness.KindAnthropic},
		Events: append(faultEvents(), harness.Event{At: at(5 * time.Second), Kind: harness.EventFaultError,
			Phase: "outage", Detail: "mock admin said: x-api-key: " + plantedKey + " rejected " + hostile}),
		SUTLog: []string{
			"client starting with key " + plantedKey,
			"POST /v1/chat/completions Authorization: Bearer " + plantedBearer,
			"config: OPENAI_API_KEY=" + plantedLiteral,
			"upstream error: " + hostile,
			"retrying (attempt 3)",
		},
	}
	for i := 0; i < 160; i++ {
		s := load.Sample{Seq: 80 + i, Phase: "outage", Scheduled: at(4*time.Second + time.Duration(i)*50*time.Millisecond), Status: 500,
			Outcome: load.OutcomeHTTPError, Error: "500 from app: upstream said invalid key " + plantedLiteral + " " + hostile}
		if i%4 == 3 {
			s.Status, s.Outcome, s.Error = 0, load.OutcomeTimeout, "context deadline exceeded (Client.Timeout exceeded while awaiting headers)"
		}
		res.Samples = append(res.Samples, s)
	}
	fault := slo.FaultWindow{ID: "f1", Upstream: "primary", Kind: "down", Detail: "primary: connections refused",
		Start: 4 * time.Second, End: 12 * time.Second,
		TTF: slo.Measure{Never: true}, Failback: slo.Measure{Value: 300 * time.Millisecond},
		Samples: 160, Failures: 160}
	v := slo.Verdict{
		Scenario: "naive-client", Pass: false,
		Checks: []slo.Check{
			{Expr: "ttf <= 2s", Observed: "never", Never: true, Pass: false,
				Reason: "no request succeeded between the fault's start at 4s and its end at 12s (160 of 160 failed)"},
			{Expr: "failback <= 5s", Observed: "300ms", Value: 0.3, Pass: true},
			{Expr: "availability(outage) >= 0.95", Observed: "0.000", Value: 0, Pass: false,
				Reason: "0 of 160 requests OK in outage (4s–12s); errors: 500 from app " + hostile},
			{Expr: "p99(latency, outage) <= 1500ms", Observed: "10s", Value: 10, Pass: false,
				Reason: "40 requests timed out after 10s"},
			{Expr: "amplification(outage) <= 2", Observed: "3.00", Value: 3, Pass: false,
				Reason: "480 upstream attempts for 160 requests: the client retries 3 times without backoff"},
		},
		Metrics: slo.Metrics{
			TTF: fault.TTF, Failback: fault.Failback, Amplification: 2.2,
			MaxErrorBurst:        slo.Burst{Count: 160, Start: 4 * time.Second, Duration: 8 * time.Second},
			RetryAfterViolations: 12,
			Violations: []slo.RetryAfterViolation{
				{Upstream: "primary", ID: "req-000090", Previous: 4500 * time.Millisecond, Next: 4510 * time.Millisecond, Asked: 2 * time.Second, Waited: 10 * time.Millisecond},
				{Upstream: "primary", ID: "req-000091", Previous: 4550 * time.Millisecond, Next: 4561 * time.Millisecond, Asked: 2 * time.Second, Waited: 11 * time.Millisecond},
			},
			Phases: []slo.PhaseMetrics{
				{Name: "steady", Start: 0, End: 4 * time.Second, Requests: 80, OK: 80, Availability: 1,
					Latency:  pct(300*time.Millisecond, 350*time.Millisecond, 400*time.Millisecond, 410*time.Millisecond, 80),
					TTFT:     pct(40*time.Millisecond, 50*time.Millisecond, 60*time.Millisecond, 61*time.Millisecond, 80),
					ServedBy: map[string]int{"primary": 80}, Attempts: 80, Amplification: 1, Outcomes: map[string]int{"ok": 80}},
				{Name: "outage", Start: 4 * time.Second, End: 12 * time.Second, Requests: 160, OK: 0, Availability: 0,
					Latency:  pct(120*time.Millisecond, 10*time.Second, 10*time.Second, 10*time.Second, 160),
					ServedBy: map[string]int{}, Attempts: 480, Amplification: 3, Outcomes: map[string]int{"http_error": 120, "timeout": 40}},
				{Name: "recovery", Start: 12 * time.Second, End: 20 * time.Second, Requests: 160, OK: 160, Availability: 1,
					Latency:  pct(300*time.Millisecond, 360*time.Millisecond, 410*time.Millisecond, 420*time.Millisecond, 160),
					TTFT:     pct(41*time.Millisecond, 52*time.Millisecond, 62*time.Millisecond, 63*time.Millisecond, 160),
					ServedBy: map[string]int{"primary": 160}, Attempts: 160, Amplification: 1, Outcomes: map[string]int{"ok": 160}},
			},
			Faults: []slo.FaultWindow{fault},
			Series: series(func(t time.Duration) (string, int) {
				if t >= 4*time.Second && t < 12*time.Second {
					return "primary", 10
				}
				if t >= 12*time.Second && t < 12300*time.Millisecond {
					return "primary", 4
				}
				return "primary", 0
			}, func(t time.Duration) time.Duration {
				if t >= 4*time.Second && t < 12*time.Second {
					return 10 * time.Second
				}
				return 400 * time.Millisecond
			}),
			Bucket: 500 * time.Millisecond,
		},
	}
	return res, v
}

// fixtureReports builds both fixtures' reports the way the CLI would.
func fixtureReports() []*Report {
	pres, pv := passingFixture()
	fres, fv := failingFixture()
	return []*Report{
		Build(pres, withConfidence(pv, 1, map[string]float64{"availability(outage) >= 0.95": 0.95}), WithDescription("The primary provider refuses connections; the gateway must fail over and fail back.")),
		Build(fres, withConfidence(fv, 1, map[string]float64{"availability(outage) >= 0.95": 0.95}), WithDescription("Negative control: a client without failover."), WithSecrets(plantedLiteral, "short")),
	}
}

// fixtureWilson is the 95% Wilson interval of k in n (slo's formula, for the fixtures).
func fixtureWilson(k, n int) slo.Interval {
	const z = 1.959963984540054
	p, nf := float64(k)/float64(n), float64(n)
	den := 1 + z*z/nf
	centre := (p + z*z/(2*nf)) / den
	half := z * math.Sqrt(p*(1-p)/nf+z*z/(4*nf*nf)) / den
	return slo.Interval{Low: max(0, centre-half), High: min(1, centre+half)}
}

// withConfidence completes a fixture's verdict as slo.Compute and Evaluate would: each
// phase's availability interval, the whole run as one phase (Metrics.Run, its latency the
// worst phase's), and each availability check's sample count and interval, marked
// inconclusive (with the note in its reason) when the threshold lies inside it.
func withConfidence(v slo.Verdict, worst int, thresholds map[string]float64) slo.Verdict {
	run := slo.PhaseMetrics{ServedBy: map[string]int{}, Outcomes: map[string]int{}, Amplification: v.Metrics.Amplification}
	for i := range v.Metrics.Phases {
		p := &v.Metrics.Phases[i]
		p.AvailabilityCI = fixtureWilson(p.OK, p.Requests)
		run.End, run.Requests, run.OK, run.Attempts = p.End, run.Requests+p.Requests, run.OK+p.OK, run.Attempts+p.Attempts
		for k, n := range p.ServedBy {
			run.ServedBy[k] += n
		}
		for k, n := range p.Outcomes {
			run.Outcomes[k] += n
		}
	}
	run.Availability = float64(run.OK) / float64(run.Requests)
	run.AvailabilityCI = fixtureWilson(run.OK, run.Requests)
	run.Latency, run.TTFT = v.Metrics.Phases[worst].Latency, v.Metrics.Phases[worst].TTFT
	v.Metrics.Run = run
	tm := &v.Metrics.Telemetry
	if tm.Faulted {
		tm.FaultedAvailabilityCI = fixtureWilson(int(math.Round(tm.FaultedAvailability*float64(tm.FaultedRequests))), tm.FaultedRequests)
		tm.SteadyAvailabilityCI = fixtureWilson(int(math.Round(tm.SteadyAvailability*float64(tm.SteadyRequests))), tm.SteadyRequests)
	}
	for i := range v.Checks {
		c := &v.Checks[i]
		th, ok := thresholds[c.Expr]
		if !ok {
			continue
		}
		c.N = 160
		c.Interval = fixtureWilson(int(math.Round(c.Value*160)), 160)
		if c.Interval.Contains(th) {
			c.Inconclusive = true
			note := fmt.Sprintf("inconclusive: raise the rate or the phase length (95%% interval %.4g–%.4g over 160 samples holds the threshold %g)", c.Interval.Low, c.Interval.High, th)
			c.Reason = strings.TrimPrefix(c.Reason+"; "+note, "; ")
		}
	}
	return v
}
