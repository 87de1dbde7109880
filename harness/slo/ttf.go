package slo

import "time"

// measureTTF fills w's TTF and its failure timeline (see the package doc, "ttf").
func (rn *run) measureTTF(w *FaultWindow) {
	in := rn.between(w.Start, w.End)
	w.Samples = len(in)
	if len(in) == 0 {
		w.TTF = Measure{None: true}
		return
	}
	note := func(at time.Duration) {
		if w.Failures == 0 {
			w.FirstFailure = at
		}
		w.Failures++
		w.LastFailure = at
	}
	// In flight at the fault's start: scheduled before it, ended after it, failed.
	for _, s := range rn.between(w.Start-rn.longest-1, w.Start) {
		if !s.OK() && !s.Ended.IsZero() && rn.off(s.Ended) > w.Start {
			note(rn.off(s.Scheduled))
		}
	}
	last := -1
	for i, s := range in {
		if !s.OK() {
			note(rn.off(s.Scheduled))
			last = i
		}
	}
	if w.Failures == 0 {
		w.TTF = Measure{}
		w.SettledAt, w.SettledOK = w.Start, len(in)
		return
	}
	after := in[last+1:]
	w.SettledOK = len(after)
	if len(after) < rn.settleNeed(len(in)) {
		w.TTF = Measure{Never: true}
		return
	}
	w.SettledAt = rn.off(after[0].Scheduled)
	w.TTF = Measure{Value: max(0, w.SettledAt-w.Start)}
}

// settleNeed is how many OK samples must close a window of n samples: SettleSamples,
// or a quarter of the window (at least 1) when the window is too short for that.
func (rn *run) settleNeed(n int) int {
	return min(rn.cfg.settleSamples, max(1, (n+3)/4))
}
