package slo

import (
	"time"

	"github.com/llmchaos/llmchaos/harness/load"
)

// served is what a sample scheduled in a fault window gave its user.
type served int

const (
	// servedFailed: not OK.
	servedFailed served = iota
	// servedThrough: OK, served through the fault (before it ended, or by an upstream
	// not faulted during the window).
	servedThrough
	// servedRecovered: OK, but answered at or after the fault's end by an upstream
	// faulted during the window: the provider recovered, the app did not get around it.
	servedRecovered
)

// measureTTF fills w's TTF and its failure timeline (see the package doc, "ttf").
func (rn *run) measureTTF(w *FaultWindow) {
	in := rn.between(w.Start, w.End)
	w.Samples = len(in)
	if len(in) == 0 {
		w.TTF = Measure{None: true}
		return
	}
	// In flight at the fault's start: scheduled before it, ended after it, failed.
	for _, s := range rn.between(w.Start-rn.longest-1, w.Start) {
		if !s.OK() && !s.Ended().IsZero() && rn.off(s.Ended()) > w.Start {
			w.noteFailure(rn.off(s.Scheduled))
		}
	}
	faulted := rn.faultedDuring(*w)
	w.RecoveredBy = map[string]int{}
	last := -1
	for i, s := range in {
		switch rn.classify(s, *w, faulted) {
		case servedFailed:
			w.noteFailure(rn.off(s.Scheduled))
			last = i
		case servedThrough:
			w.Served++
		case servedRecovered:
			w.Recovered++
			w.RecoveredBy[s.ServedBy]++
		}
	}
	rn.settle(w, in, last, faulted)
}

// settle decides w's TTF from the samples after the last failure (index last in in).
func (rn *run) settle(w *FaultWindow, in []load.Sample, last int, faulted map[string]bool) {
	if w.Served == 0 {
		w.TTF = Measure{Never: true} // nothing was served through the fault
		w.RecoveredAfterLast = w.Recovered
		return
	}
	if w.Failures == 0 {
		w.TTF = Measure{}
		w.SettledAt, w.SettledOK = w.Start, w.Served
		return
	}
	first := -1
	for i, s := range in[last+1:] {
		switch rn.classify(s, *w, faulted) {
		case servedThrough:
			if first < 0 {
				first = last + 1 + i
			}
			w.SettledOK++
		case servedRecovered:
			w.RecoveredAfterLast++
		}
	}
	if first < 0 || w.SettledOK < rn.settleNeed(len(in)) {
		w.TTF = Measure{Never: true}
		return
	}
	w.SettledAt = rn.answered(in[first])
	w.TTF = Measure{Value: max(0, w.SettledAt-w.Start)}
}

func (w *FaultWindow) noteFailure(at time.Duration) {
	if w.Failures == 0 {
		w.FirstFailure = at
	}
	w.Failures++
	w.LastFailure = at
}

// classify says what s gave its user during w: failed, served through the fault, or
// answered after it by an upstream faulted during w (faulted).
func (rn *run) classify(s load.Sample, w FaultWindow, faulted map[string]bool) served {
	switch {
	case !s.OK():
		return servedFailed
	case s.ServedBy != "" && faulted[s.ServedBy] && rn.off(s.Ended()) >= w.End:
		return servedRecovered
	}
	return servedThrough
}

// faultedDuring is the set of upstreams with a fault window overlapping w (w's own
// upstream included).
func (rn *run) faultedDuring(w FaultWindow) map[string]bool {
	out := map[string]bool{w.Upstream: true}
	for _, o := range rn.windows {
		if o.Start < w.End && o.End > w.Start {
			out[o.Upstream] = true
		}
	}
	return out
}

// answered is when the user began to get s's answer: its first token (the first body
// byte of a non-stream answer), else its end. An app answers only after it decided how
// to serve the request, so this never precedes the decision, however late the driver
// sent the request.
func (rn *run) answered(s load.Sample) time.Duration {
	if !s.FirstToken().IsZero() {
		return rn.off(s.FirstToken())
	}
	return rn.off(s.Ended())
}

// settleNeed is how many OK samples must close a window of n samples: SettleSamples,
// or a quarter of the window (at least 1) when the window is too short for that.
func (rn *run) settleNeed(n int) int {
	return min(rn.cfg.settleSamples, max(1, (n+3)/4))
}
