package slo

import (
	"fmt"
	"time"

	"github.com/llmchaos/llmchaos/harness/load"
)

// measureFailback fills w's Failback and its timeline (see the package doc, "failback").
func (rn *run) measureFailback(w *FaultWindow) {
	w.Failback = Measure{None: true}
	primary := w.Upstream
	if rn.cfg.explicitPrimary {
		primary = rn.cfg.primary
	}
	size := rn.failbackSize()
	horizon := rn.end
	for _, o := range rn.windows {
		if o.Start >= w.End && o.Start < horizon && rn.isLLM(o.Upstream) {
			horizon = o.Start
		}
	}
	if w.FailbackNA = rn.failbackSkip(w, primary, size, horizon); w.FailbackNA != "" {
		return
	}
	w.Primary, w.Horizon = primary, horizon
	rn.rollFailback(w, rn.between(w.End, w.Horizon), size)
}

// failbackSkip says why w's failback is not measured ("" when it is): not an LLM
// upstream, traffic not on the primary before the fault, the fault going on in the next
// window, or an app that never left the primary from the fault's start to the horizon.
func (rn *run) failbackSkip(w *FaultWindow, primary string, size int, horizon time.Duration) string {
	if !rn.isLLM(w.Upstream) {
		return "not an LLM upstream"
	}
	start := rn.chainStart(w)
	if !rn.cfg.explicitPrimary && !rn.carried(primary, start, size) {
		return fmt.Sprintf("traffic was not on %s before the fault: nothing to fail back to", primary)
	}
	for _, o := range rn.windows {
		if o.Upstream == w.Upstream && o.Start >= w.End && o.Start-w.End <= max(rn.interval, 10*time.Millisecond) {
			return "the fault goes on in the next window: failback is judged at its end"
		}
	}
	for _, s := range rn.between(start, horizon) {
		if s.OK() && s.ServedBy != "" && s.ServedBy != primary {
			return ""
		}
	}
	return fmt.Sprintf("the app never failed over (no answer came from another upstream than %s, during the fault or after it): nothing to fail back from", primary)
}

// rollFailback slides the rolling window over in (the samples from the fault's end to
// the horizon) and fills w's Failback.
func (rn *run) rollFailback(w *FaultWindow, in []load.Sample, size int) {
	n := len(in)
	w.AfterSamples, w.WindowSamples = n, size
	// prefix sums of served and primary-served samples.
	served, onPrimary := make([]int, n+1), make([]int, n+1)
	for i, s := range in {
		served[i+1], onPrimary[i+1] = served[i], onPrimary[i]
		if s.ServedBy != "" {
			served[i+1]++
		}
		if s.ServedBy == w.Primary {
			onPrimary[i+1]++
		}
	}
	if served[n] > 0 {
		w.PrimaryShare = float64(onPrimary[n]) / float64(served[n])
	}
	w.Failback = Measure{Never: true}
	good := func(j int) bool {
		sv := served[j+size] - served[j]
		return sv > 0 && float64(onPrimary[j+size]-onPrimary[j]) >= rn.cfg.failbackShare*float64(sv)
	}
	from := 0
	for j := n - size; j >= 0; j-- {
		if !good(j) {
			from = j + 1
			break
		}
	}
	if n < size || from > n-size {
		return
	}
	for _, s := range in[from:] {
		if s.ServedBy == w.Primary {
			w.FailbackAt = rn.answered(s)
			w.Failback = Measure{Value: max(0, w.FailbackAt-w.End)}
			return
		}
	}
}

// failbackSize is the rolling window in samples: FailbackWindow / interval, at least
// DefaultFailbackMinSamples.
func (rn *run) failbackSize() int {
	size := rn.cfg.failbackMin
	if rn.interval > 0 {
		size = max(size, int((rn.cfg.failbackWindow+rn.interval-1)/rn.interval))
	}
	return size
}

// carried reports whether upstream carried the traffic just before t: the last size
// served samples before t went to it at least FailbackShare of the time. With no served
// sample before t it is given the benefit of the doubt.
func (rn *run) carried(upstream string, t time.Duration, size int) bool {
	before := rn.between(-1<<62, t)
	served, on := 0, 0
	for i := len(before) - 1; i >= 0 && served < size; i-- {
		if s := before[i]; s.ServedBy != "" {
			served++
			if s.ServedBy == upstream {
				on++
			}
		}
	}
	return served == 0 || float64(on) >= rn.cfg.failbackShare*float64(served)
}

// chainStart is when the fault that w belongs to began: w's start, or the start of the
// earliest window on the same upstream that runs into it without a gap of more than an
// interval (a fault re-applied at each phase boundary).
func (rn *run) chainStart(w *FaultWindow) time.Duration {
	start := w.Start
	for moved := true; moved; {
		moved = false
		for _, o := range rn.windows {
			if o.Upstream == w.Upstream && o.Start < start && o.End <= start && start-o.End <= max(rn.interval, 10*time.Millisecond) {
				start, moved = o.Start, true
			}
		}
	}
	return start
}
