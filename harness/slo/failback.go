package slo

import "time"

// measureFailback fills w's Failback and its timeline (see the package doc, "failback").
func (rn *run) measureFailback(w *FaultWindow) {
	w.Failback = Measure{None: true}
	if !rn.isLLM(w.Upstream) {
		return
	}
	primary := w.Upstream
	if rn.cfg.explicitPrimary {
		primary = rn.cfg.primary
	}
	size := rn.failbackSize()
	if !rn.cfg.explicitPrimary && !rn.carried(primary, rn.chainStart(w), size) {
		return // traffic was not on this upstream before the fault: nothing to fail back
	}
	for _, o := range rn.windows {
		if o.Upstream == w.Upstream && o.Start >= w.End && o.Start-w.End <= max(rn.interval, 10*time.Millisecond) {
			return // the fault goes on in the next window (a ramp across phases): judge failback there
		}
	}
	w.Primary = primary
	w.Horizon = rn.end
	for _, o := range rn.windows {
		if o.Start >= w.End && o.Start < w.Horizon && rn.isLLM(o.Upstream) {
			w.Horizon = o.Start
		}
	}
	in := rn.between(w.End, w.Horizon)
	n := len(in)
	w.AfterSamples, w.WindowSamples = n, size
	// prefix sums of served and primary-served samples.
	served, onPrimary := make([]int, n+1), make([]int, n+1)
	for i, s := range in {
		served[i+1], onPrimary[i+1] = served[i], onPrimary[i]
		if s.ServedBy != "" {
			served[i+1]++
		}
		if s.ServedBy == primary {
			onPrimary[i+1]++
		}
	}
	if served[n] > 0 {
		w.PrimaryShare = float64(onPrimary[n]) / float64(served[n])
	}
	if n < size {
		w.Failback = Measure{Never: true}
		return
	}
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
	if from > n-size {
		w.Failback = Measure{Never: true}
		return
	}
	for _, s := range in[from:] {
		if s.ServedBy == primary {
			w.FailbackAt = rn.off(s.Scheduled)
			w.Failback = Measure{Value: max(0, w.FailbackAt-w.End)}
			return
		}
	}
	w.Failback = Measure{Never: true}
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
