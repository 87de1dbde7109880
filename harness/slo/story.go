package slo

import (
	"cmp"
	"fmt"
	"sort"
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
// when the SUT settled, and why it did not.
func (w FaultWindow) TTFStory() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s–%s", w.faultName(), fmtAt(w.Start), fmtAt(w.End))
	if w.TTF.None {
		b.WriteString("; no sample was scheduled during it")
	} else {
		if w.Failures > 0 {
			fmt.Fprintf(&b, "; failures %s–%s (%s)", fmtAt(w.FirstFailure), fmtAt(w.LastFailure), plural(w.Failures, "sample", "samples"))
		}
		b.WriteString(w.settleStory())
	}
	fmt.Fprintf(&b, " → ttf %s", fmtMeasure(w.TTF))
	return b.String()
}

// settleStory says whether and when the SUT settled, or why it never did.
func (w FaultWindow) settleStory() string {
	switch {
	case w.Served == 0 && w.Recovered > 0:
		return fmt.Sprintf("; every success in the window came from %s after the fault ended (%s): the provider recovered, the app never served through the fault",
			w.recoveredFrom(), plural(w.Recovered, "sample", "samples"))
	case w.Failures == 0 && !w.TTF.Never:
		return fmt.Sprintf("; no failure in %s (transparent failover)", plural(w.Samples, "sample", "samples"))
	case w.TTF.Never && w.SettledOK == 0 && w.RecoveredAfterLast > 0:
		return fmt.Sprintf("; after the last failure every success came from %s after the fault ended (%s): the provider recovered, the app did not fail over",
			w.recoveredFrom(), plural(w.RecoveredAfterLast, "sample", "samples"))
	case w.TTF.Never:
		return fmt.Sprintf("; never settled: %s after the last failure before the fault ended", plural(w.SettledOK, "OK sample", "OK samples"))
	}
	return fmt.Sprintf("; settled at %s (%s to the fault's end)", fmtAt(w.SettledAt), plural(w.SettledOK, "OK sample", "OK samples"))
}

// recoveredFrom names the upstreams that answered after the fault ended: "primary".
func (w FaultWindow) recoveredFrom() string {
	names := make([]string, 0, len(w.RecoveredBy))
	for n := range w.RecoveredBy {
		names = append(names, n)
	}
	sort.Strings(names)
	if len(names) == 0 {
		return w.Upstream
	}
	return strings.Join(names, " and ")
}

// FailbackStory tells the window's failback timeline: the fault's end, when (whether)
// traffic returned to the primary, and until when it had to stay.
func (w FaultWindow) FailbackStory(share float64) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s ended at %s", w.faultName(), fmtAt(w.End))
	switch {
	case w.Failback.None:
		fmt.Fprintf(&b, "; failback not measured: %s", cmp.Or(w.FailbackNA, "not an LLM upstream, or traffic was not on it before the fault"))
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

// neverFailedOver is the first window whose failback was not measured because the app
// never failed over.
func neverFailedOver(ws []FaultWindow) (FaultWindow, bool) {
	for _, w := range ws {
		if w.Failback.None && strings.Contains(w.FailbackNA, "never failed over") {
			return w, true
		}
	}
	return FaultWindow{}, false
}
