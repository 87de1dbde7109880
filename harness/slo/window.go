package slo

import (
	"sort"
	"time"

	"github.com/llmchaos/llmchaos/harness"
)

// faultWindows pairs fault_applied and fault_reverted events by FaultID (or, without
// one, by upstream, fault kind and phase). A fault never reverted lasts to the run's end.
func (rn *run) faultWindows() []FaultWindow {
	type open struct {
		w     FaultWindow
		index int
	}
	var out []FaultWindow
	opened := map[string]*open{}
	key := func(e harness.Event) string {
		if e.FaultID != "" {
			return e.FaultID
		}
		return e.Upstream + "\x00" + e.FaultKind + "\x00" + e.Phase
	}
	events := append([]harness.Event(nil), rn.r.Events...)
	sort.SliceStable(events, func(i, j int) bool { return events[i].At.Before(events[j].At) })
	for _, e := range events {
		switch e.Kind {
		case harness.EventFaultApplied:
			w := FaultWindow{
				ID: e.FaultID, Upstream: e.Upstream, Kind: e.FaultKind, Detail: e.Detail,
				Start: rn.off(e.At), End: -1,
			}
			out = append(out, w)
			opened[key(e)] = &open{w: w, index: len(out) - 1}
		case harness.EventFaultReverted:
			if o, ok := opened[key(e)]; ok {
				out[o.index].End = rn.off(e.At)
				delete(opened, key(e))
			}
		}
	}
	for i := range out {
		if out[i].End < 0 {
			out[i].End = rn.end
		}
		if out[i].End < out[i].Start {
			out[i].End = out[i].Start
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Start < out[j].Start })
	return out
}

// faultedAt reports whether any fault window holds t, optionally only windows on
// upstreams accepted by keep.
func (rn *run) faultedAt(t time.Duration, keep func(string) bool) bool {
	for _, w := range rn.windows {
		if t >= w.Start && t < w.End && (keep == nil || keep(w.Upstream)) {
			return true
		}
	}
	return false
}

// worst is the worse of two measures: Never beats any value, any value beats None.
func worst(a, b Measure) Measure {
	switch {
	case a.None:
		return b
	case b.None:
		return a
	case a.Never:
		return a
	case b.Never:
		return b
	case b.Value > a.Value:
		return b
	}
	return a
}
