// Package slotest simulates runs: it builds the harness.Result a modelled app would
// produce under a fault timeline, so slo's metrics can be checked against a known truth.
package slotest

import (
	"fmt"
	"net/http"
	"time"

	"github.com/llmchaos/llmchaos/harness"
	"github.com/llmchaos/llmchaos/mocks/control"
)

// The simulated upstreams and their kinds.
const (
	Primary   = "primary"   // openai
	Secondary = "secondary" // anthropic
	Collector = "collector" // otlp
)

// Defaults of a SimSpec.
const (
	DefaultInterval      = 50 * time.Millisecond
	DefaultLatency       = 20 * time.Millisecond
	DefaultFailedLatency = 5 * time.Millisecond
	// DefaultExportEvery is how often the simulated app exports telemetry.
	DefaultExportEvery = 500 * time.Millisecond
)

// SimSpec is a run to simulate: the timeline, the load and the app's behaviour.
type SimSpec struct {
	Scenario string
	// Start is the run's start (zero: 2026-01-01 00:00 UTC).
	Start time.Time
	// Interval is the request interval (default DefaultInterval).
	Interval time.Duration
	// Latency is an OK request's latency (default DefaultLatency).
	Latency time.Duration
	Phases  []Phase
	App     App
}

// Phase is a stretch of the simulated timeline and its faults.
type Phase struct {
	Name     string
	Duration time.Duration
	Faults   []Fault
}

// Fault is a fault on one upstream, from Offset into its phase for Duration (0: to the
// phase's end). Only faults on Primary make the app fail over; faults on Collector stop
// its telemetry exports and may slow it (App.TelemetryPenalty).
type Fault struct {
	Upstream string
	// Kind is the fault's type name (default "down").
	Kind             string
	Offset, Duration time.Duration
}

// App is how the simulated app behaves.
type App struct {
	// FailoverDelay: while Primary is faulted, requests scheduled before fault start +
	// FailoverDelay fail; later ones are served by Secondary.
	FailoverDelay time.Duration
	// NeverFailsOver: every request fails while Primary is faulted.
	NeverFailsOver bool
	// Flap: while Primary is faulted the app alternates Flap-long bursts of failures and
	// successes, starting with failures (FailoverDelay is ignored).
	Flap time.Duration
	// FailbackDelay: after Primary's fault ends, requests keep going to Secondary for this long.
	FailbackDelay time.Duration
	// NeverFailsBack: after Primary's first fault, traffic stays on Secondary.
	NeverFailsBack bool
	// Retries is how many times each served request is first answered 429 (with
	// RetryAfter) and retried by the app: each request makes Retries+1 attempts.
	Retries int
	// RetryAfter is what the 429 answers ask; the app waits that long (plus 1 ms)
	// before retrying unless IgnoreRetryAfter, when it waits 1 ms.
	RetryAfter       time.Duration
	IgnoreRetryAfter bool
	// FailedLatency is a failed request's latency (default DefaultFailedLatency).
	FailedLatency time.Duration
	// TelemetryPenalty is added to the latency of requests scheduled while Collector is faulted.
	TelemetryPenalty time.Duration
	// TelemetryNeverResumes: no export is accepted after Collector's first fault.
	TelemetryNeverResumes bool
}

type window struct {
	upstream   string
	start, end time.Duration
}

// Simulate builds the Result of spec's run.
func Simulate(spec SimSpec) *harness.Result {
	if spec.Start.IsZero() {
		spec.Start = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	if spec.Interval <= 0 {
		spec.Interval = DefaultInterval
	}
	if spec.Latency <= 0 {
		spec.Latency = DefaultLatency
	}
	if spec.App.FailedLatency <= 0 {
		spec.App.FailedLatency = DefaultFailedLatency
	}
	at := func(d time.Duration) time.Time { return spec.Start.Add(d) }
	r := &harness.Result{
		Scenario: spec.Scenario, Start: spec.Start, Interval: spec.Interval,
		Journals: map[string][]control.Attempt{},
		Kinds: map[string]harness.UpstreamKind{
			Primary: harness.KindOpenAI, Secondary: harness.KindAnthropic, Collector: harness.KindOTLP,
		},
	}
	var windows []window
	var total time.Duration
	for _, p := range spec.Phases {
		start, end := total, total+p.Duration
		r.Phases = append(r.Phases, harness.PhaseSpan{Name: p.Name, Start: at(start), End: at(end)})
		r.Events = append(r.Events, harness.Event{At: at(start), Kind: harness.EventPhaseStart, Phase: p.Name})
		for i, f := range p.Faults {
			kind := f.Kind
			if kind == "" {
				kind = "down"
			}
			ws := start + f.Offset
			we := end
			if f.Duration > 0 {
				we = min(end, ws+f.Duration)
			}
			windows = append(windows, window{f.Upstream, ws, we})
			id := fmt.Sprintf("%s/%s/%d", p.Name, f.Upstream, i)
			r.Events = append(r.Events,
				harness.Event{At: at(ws), Kind: harness.EventFaultApplied, Phase: p.Name, FaultID: id, Upstream: f.Upstream, FaultKind: kind, Detail: kind},
				harness.Event{At: at(we), Kind: harness.EventFaultReverted, Phase: p.Name, FaultID: id, Upstream: f.Upstream, FaultKind: kind})
		}
		r.Events = append(r.Events, harness.Event{At: at(end), Kind: harness.EventPhaseEnd, Phase: p.Name})
		total = end
	}
	r.End = at(total)
	phaseAt := func(t time.Duration) string {
		var sum time.Duration
		for _, p := range spec.Phases {
			sum += p.Duration
			if t < sum {
				return p.Name
			}
		}
		return ""
	}
	active := func(upstream string, t time.Duration) (window, bool) {
		for _, w := range windows {
			if w.upstream == upstream && t >= w.start && t < w.end {
				return w, true
			}
		}
		return window{}, false
	}
	lastEnded := func(upstream string, t time.Duration) (time.Duration, bool) {
		var end time.Duration
		found := false
		for _, w := range windows {
			if w.upstream == upstream && w.end <= t && (!found || w.end > end) {
				end, found = w.end, true
			}
		}
		return end, found
	}
	app := spec.App
	seq := 0
	for t := time.Duration(0); t < total; t += spec.Interval {
		seq++
		s := harness.Sample{
			Seq: seq, ID: fmt.Sprintf("req-%06d", seq), Phase: phaseAt(t),
			Scheduled: at(t), Started: at(t),
		}
		failing, upstream := false, Primary
		if w, down := active(Primary, t); down {
			e := t - w.start
			switch {
			case app.NeverFailsOver:
				failing = true
			case app.Flap > 0:
				failing = (e/app.Flap)%2 == 0
			default:
				failing = e < app.FailoverDelay
			}
			upstream = Secondary
		} else if end, ok := lastEnded(Primary, t); ok && (app.NeverFailsBack || t-end < app.FailbackDelay) {
			upstream = Secondary
		}
		if failing {
			s.Status, s.Outcome, s.Error = http.StatusBadGateway, harness.OutcomeHTTPError, "simulated: primary down"
			s.Ended = at(t + app.FailedLatency)
			r.Samples = append(r.Samples, s)
			continue
		}
		latency := spec.Latency
		if _, slow := active(Collector, t); slow {
			latency += app.TelemetryPenalty
		}
		arrive := t + time.Millisecond
		for i := 0; i <= app.Retries; i++ {
			a := control.Attempt{
				Seq: len(r.Journals[upstream]) + 1, Upstream: upstream, Arrived: at(arrive),
				Method: http.MethodPost, Path: "/v1/chat/completions", CorrelationID: s.ID, RetryCount: i,
			}
			if i < app.Retries {
				a.Status, a.Duration, a.RetryAfter, a.Fault = http.StatusTooManyRequests, 2*time.Millisecond, app.RetryAfter, "status"
				wait := app.RetryAfter + time.Millisecond
				if app.IgnoreRetryAfter {
					wait = time.Millisecond
				}
				arrive += a.Duration + wait
			} else {
				a.Status, a.Duration, a.Complete = http.StatusOK, latency, true
			}
			r.Journals[upstream] = append(r.Journals[upstream], a)
		}
		end := arrive + latency
		s.Status, s.Outcome, s.ServedBy = http.StatusOK, harness.OutcomeOK, upstream
		s.FirstToken, s.Ended = at(end-latency/2), at(end)
		r.Samples = append(r.Samples, s)
	}
	firstCollectorFault := time.Duration(-1)
	for _, w := range windows {
		if w.upstream == Collector && (firstCollectorFault < 0 || w.start < firstCollectorFault) {
			firstCollectorFault = w.start
		}
	}
	for t := time.Duration(0); t < total; t += DefaultExportEvery {
		if _, down := active(Collector, t); down {
			continue
		}
		if app.TelemetryNeverResumes && firstCollectorFault >= 0 && t >= firstCollectorFault {
			continue
		}
		r.Journals[Collector] = append(r.Journals[Collector], control.Attempt{
			Seq: len(r.Journals[Collector]) + 1, Upstream: Collector, Arrived: at(t), Duration: time.Millisecond,
			Method: http.MethodPost, Path: "/v1/traces", RetryCount: -1, Status: http.StatusOK, Items: 10, Accepted: 10, Complete: true,
		})
	}
	return r
}
