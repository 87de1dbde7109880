package slo

import (
	"sort"
	"time"

	"github.com/llmchaos/llmchaos/harness"
	"github.com/llmchaos/llmchaos/harness/load"
)

// run is a Result prepared for measuring: times as offsets from the run's start,
// samples in schedule order, phases and fault windows resolved.
type run struct {
	r        *harness.Result
	cfg      config
	base     time.Time
	end      time.Duration
	interval time.Duration
	// samples sorted by Scheduled, then Seq.
	samples []load.Sample
	phases  []span
	windows []FaultWindow
	// phaseOf maps a correlation id to its sample's phase.
	phaseOf map[string]string
	// longest is the longest latency of any sample: how far back one may still be in flight.
	longest time.Duration
}

// span is a phase as offsets.
type span struct {
	name       string
	start, end time.Duration
}

func newRun(r *harness.Result, cfg config) *run {
	if r == nil {
		r = &harness.Result{}
	}
	rn := &run{r: r, cfg: cfg, base: r.Start}
	if rn.base.IsZero() {
		rn.base = earliest(r)
	}
	rn.samples = append([]load.Sample(nil), r.Samples...)
	sort.SliceStable(rn.samples, func(i, j int) bool {
		a, b := rn.samples[i], rn.samples[j]
		if !a.Scheduled.Equal(b.Scheduled) {
			return a.Scheduled.Before(b.Scheduled)
		}
		return a.Seq < b.Seq
	})
	for _, p := range r.Phases {
		rn.phases = append(rn.phases, span{name: p.Name, start: rn.off(p.Start), end: rn.off(p.End)})
	}
	rn.end = rn.lastInstant()
	rn.interval = rn.inferInterval()
	rn.phaseOf = make(map[string]string, len(rn.samples))
	for i := range rn.samples {
		s := &rn.samples[i]
		s.Phase = rn.samplePhase(*s)
		if s.ID != "" {
			rn.phaseOf[s.ID] = s.Phase
		}
		if !s.Ended().IsZero() {
			rn.longest = max(rn.longest, s.Ended().Sub(s.Scheduled))
		}
	}
	rn.windows = rn.faultWindows()
	return rn
}

// off is t as an offset from the run's start (0 for a zero time).
func (rn *run) off(t time.Time) time.Duration {
	if t.IsZero() {
		return 0
	}
	return t.Sub(rn.base)
}

func earliest(r *harness.Result) time.Time {
	var first time.Time
	see := func(t time.Time) {
		if !t.IsZero() && (first.IsZero() || t.Before(first)) {
			first = t
		}
	}
	for _, p := range r.Phases {
		see(p.Start)
	}
	for _, s := range r.Samples {
		see(s.Scheduled)
	}
	for _, e := range r.Events {
		see(e.At)
	}
	return first
}

// lastInstant is Result.End, or the latest thing recorded when End is zero.
func (rn *run) lastInstant() time.Duration {
	if !rn.r.End.IsZero() {
		return rn.off(rn.r.End)
	}
	var last time.Duration
	see := func(d time.Duration) {
		if d > last {
			last = d
		}
	}
	for _, p := range rn.phases {
		see(p.end)
	}
	for _, s := range rn.samples {
		see(rn.off(s.Scheduled))
		see(rn.off(s.Ended()))
	}
	for _, e := range rn.r.Events {
		see(rn.off(e.At))
	}
	return last
}

// inferInterval is the option, Result.Interval, or the median gap between scheduled times.
func (rn *run) inferInterval() time.Duration {
	if rn.cfg.explicitInterval > 0 {
		return rn.cfg.explicitInterval
	}
	if rn.r.Interval > 0 {
		return rn.r.Interval
	}
	var gaps []time.Duration
	for i := 1; i < len(rn.samples); i++ {
		if g := rn.samples[i].Scheduled.Sub(rn.samples[i-1].Scheduled); g > 0 {
			gaps = append(gaps, g)
		}
	}
	if len(gaps) == 0 {
		return 0
	}
	sort.Slice(gaps, func(i, j int) bool { return gaps[i] < gaps[j] })
	return gaps[len(gaps)/2]
}

// samplePhase is the sample's own Phase when the run knows that phase (or knows no
// phases), else the phase whose span holds its scheduled time.
func (rn *run) samplePhase(s load.Sample) string {
	if len(rn.phases) == 0 || (s.Phase != "" && rn.hasPhase(s.Phase)) {
		return s.Phase
	}
	if p, ok := rn.phaseAt(rn.off(s.Scheduled)); ok {
		return p
	}
	return s.Phase
}

func (rn *run) hasPhase(name string) bool {
	for _, p := range rn.phases {
		if p.name == name {
			return true
		}
	}
	return false
}

// phaseAt is the phase whose [start, end) holds t.
func (rn *run) phaseAt(t time.Duration) (string, bool) {
	for _, p := range rn.phases {
		if t >= p.start && t < p.end {
			return p.name, true
		}
	}
	return "", false
}

// phaseNames lists the run's phases in order.
func (rn *run) phaseNames() []string {
	out := make([]string, 0, len(rn.phases))
	for _, p := range rn.phases {
		out = append(out, p.name)
	}
	return out
}

// isLLM reports whether the named upstream is an LLM mock. With no Kinds at all,
// every upstream is taken for one.
func (rn *run) isLLM(name string) bool {
	if len(rn.r.Kinds) == 0 {
		return true
	}
	k := rn.r.Kinds[name]
	return k.IsLLM()
}

func (rn *run) isOTLP(name string) bool {
	return rn.r.Kinds[name] == harness.KindOTLP
}

// inWindow returns the samples scheduled in [from, to).
func (rn *run) between(from, to time.Duration) []load.Sample {
	lo := sort.Search(len(rn.samples), func(i int) bool { return rn.off(rn.samples[i].Scheduled) >= from })
	hi := sort.Search(len(rn.samples), func(i int) bool { return rn.off(rn.samples[i].Scheduled) >= to })
	return rn.samples[lo:hi]
}
