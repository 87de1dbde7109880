package slotest

import (
	"fmt"
	"time"

	"github.com/llmchaos/llmchaos/harness"
	"github.com/llmchaos/llmchaos/mocks/control"
)

// sim is one simulation under way: the spec (defaults filled), the Result it builds and
// the fault windows of its timeline.
type sim struct {
	spec    SimSpec
	r       *harness.Result
	windows []window
	total   time.Duration
}

// window is one fault's stretch, as offsets from the run's start.
type window struct {
	upstream, kind string
	start, end     time.Duration
}

// hidden reports whether the window's fault keeps attempts from reaching the journal.
func (w window) hidden() bool { return w.kind == "down" || w.kind == "blackhole" }

func newSim(spec SimSpec) *sim {
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
	return &sim{spec: spec, r: &harness.Result{
		Scenario: spec.Scenario, Start: spec.Start, Interval: spec.Interval,
		Journals: map[string][]control.Attempt{},
		Kinds: map[string]harness.UpstreamKind{
			Primary: harness.KindOpenAI, Secondary: harness.KindAnthropic, Collector: harness.KindOTLP,
		},
	}}
}

// at is the instant d after the run's start.
func (sm *sim) at(d time.Duration) time.Time { return sm.spec.Start.Add(d) }

// timeline records the phases, their start and end events, and each fault's window with
// its applied and reverted events.
func (sm *sim) timeline() {
	r := sm.r
	for _, p := range sm.spec.Phases {
		start, end := sm.total, sm.total+p.Duration
		r.Phases = append(r.Phases, harness.PhaseSpan{Name: p.Name, Start: sm.at(start), End: sm.at(end)})
		r.Events = append(r.Events, harness.Event{At: sm.at(start), Kind: harness.EventPhaseStart, Phase: p.Name})
		for i, f := range p.Faults {
			kind := f.Kind
			if kind == "" {
				kind = "down"
			}
			ws, we := start+f.Offset, end
			if f.Duration > 0 {
				we = min(end, ws+f.Duration)
			}
			sm.windows = append(sm.windows, window{f.Upstream, kind, ws, we})
			id := fmt.Sprintf("%s/%s/%d", p.Name, f.Upstream, i)
			r.Events = append(r.Events,
				harness.Event{At: sm.at(ws), Kind: harness.EventFaultApplied, Phase: p.Name, FaultID: id, Upstream: f.Upstream, FaultKind: kind, Detail: kind},
				harness.Event{At: sm.at(we), Kind: harness.EventFaultReverted, Phase: p.Name, FaultID: id, Upstream: f.Upstream, FaultKind: kind})
		}
		r.Events = append(r.Events, harness.Event{At: sm.at(end), Kind: harness.EventPhaseEnd, Phase: p.Name})
		sm.total = end
	}
	r.End = sm.at(sm.total)
}

// phaseAt names the phase holding offset t ("" past the last).
func (sm *sim) phaseAt(t time.Duration) string {
	var sum time.Duration
	for _, p := range sm.spec.Phases {
		sum += p.Duration
		if t < sum {
			return p.Name
		}
	}
	return ""
}

// active is the fault window on upstream holding t.
func (sm *sim) active(upstream string, t time.Duration) (window, bool) {
	for _, w := range sm.windows {
		if w.upstream == upstream && t >= w.start && t < w.end {
			return w, true
		}
	}
	return window{}, false
}

// lastEnded is the end of the latest fault window on upstream that ended by t.
func (sm *sim) lastEnded(upstream string, t time.Duration) (time.Duration, bool) {
	var end time.Duration
	found := false
	for _, w := range sm.windows {
		if w.upstream == upstream && w.end <= t && (!found || w.end > end) {
			end, found = w.end, true
		}
	}
	return end, found
}
