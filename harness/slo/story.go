package slo

import (
	"fmt"
	"strings"
)

// faultName is "fault down on primary".
func (w FaultWindow) faultName() string {
	kind := w.Kind
	if kind == "" {
		kind = w.ID
	}
	if w.Upstream == "" {
		return "fault " + kind
	}
	return fmt.Sprintf("fault %s on %s", kind, w.Upstream)
}

// TTFStory tells the window's failover timeline: the fault, the failures, whether and
// when the SUT settled.
func (w FaultWindow) TTFStory() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s–%s", w.faultName(), fmtAt(w.Start), fmtAt(w.End))
	switch {
	case w.TTF.None:
		b.WriteString("; no sample was scheduled during it")
	case w.Failures == 0:
		fmt.Fprintf(&b, "; no failure in %s (transparent failover)", plural(w.Samples, "sample", "samples"))
	default:
		fmt.Fprintf(&b, "; failures %s–%s (%s)", fmtAt(w.FirstFailure), fmtAt(w.LastFailure), plural(w.Failures, "sample", "samples"))
		if w.TTF.Never {
			fmt.Fprintf(&b, "; never settled: %s after the last failure before the fault ended",
				plural(w.SettledOK, "OK sample", "OK samples"))
		} else {
			fmt.Fprintf(&b, "; settled at %s (%s to the fault's end)", fmtAt(w.SettledAt), plural(w.SettledOK, "OK sample", "OK samples"))
		}
	}
	fmt.Fprintf(&b, " → ttf %s", fmtMeasure(w.TTF))
	return b.String()
}

// FailbackStory tells the window's failback timeline: the fault's end, when (whether)
// traffic returned to the primary, and until when it had to stay.
func (w FaultWindow) FailbackStory(share float64) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s ended at %s", w.faultName(), fmtAt(w.End))
	switch {
	case w.Failback.None:
		b.WriteString("; failback not measured (not an LLM upstream, or traffic was not on it before the fault)")
	case w.Failback.Never && w.AfterSamples < w.WindowSamples:
		fmt.Fprintf(&b, "; only %d samples until %s, fewer than the %d-sample rolling window failback needs: the recovery is too short to measure it (make it longer)",
			w.AfterSamples, fmtAt(w.Horizon), w.WindowSamples)
	case w.Failback.Never:
		fmt.Fprintf(&b, "; %s's share of served traffic never held ≥%.0f%% up to %s; it served %.0f%% of the answers after the fault",
			w.Primary, share*100, fmtAt(w.Horizon), w.PrimaryShare*100)
	default:
		fmt.Fprintf(&b, "; traffic back on %s (≥%.0f%%) from %s and stayed until %s", w.Primary, share*100, fmtAt(w.FailbackAt), fmtAt(w.Horizon))
	}
	fmt.Fprintf(&b, " → failback %s", fmtMeasure(w.Failback))
	return b.String()
}

// worstWindow is the window whose measure made the run's worst (pick selects TTF or Failback).
func worstWindow(ws []FaultWindow, pick func(FaultWindow) Measure) (FaultWindow, bool) {
	var best FaultWindow
	found := false
	for _, w := range ws {
		m := pick(w)
		if m.None {
			continue
		}
		if !found || worst(pick(best), m) == m && m != pick(best) {
			best, found = w, true
		}
	}
	return best, found
}
