package reports

import (
	"fmt"
	"time"
)

// diffOne lists what changed in one scenario between its base and new report, in this
// order: the verdict, the SLOs, ttf, failback, amplification, Retry-After violations, then
// each phase's availability and p99 latency.
func diffOne(b, n *Report, th Thresholds) []Change {
	c := &changeList{scenario: n.Scenario}
	c.verdict(b, n)
	if why := notComparable(b, n); why != "" {
		c.add(Note, "metrics", runState(b), runState(n), why)
		return c.out
	}
	c.slos(b.SLOs, n.SLOs)
	c.out = append(c.out, diffMeasure(n.Scenario, "ttf", b.Metrics.TTFMS, b.Metrics.TTFState, n.Metrics.TTFMS, n.Metrics.TTFState, th.TTFRel, th.TTFAbs)...)
	c.out = append(c.out, diffMeasure(n.Scenario, "failback", b.Metrics.FailbackMS, b.Metrics.FailbackState, n.Metrics.FailbackMS, n.Metrics.FailbackState, th.FailbackRel, th.FailbackAbs)...)
	c.amplification(b.Metrics.Amplification, n.Metrics.Amplification, th.AmplificationRise)
	c.retryAfter(b.Metrics.RetryAfterViolations, n.Metrics.RetryAfterViolations, th.RetryAfterIncrease)
	c.phases(b.Phases, n.Phases, th)
	return c.out
}

// notComparable says why two runs' metrics cannot be compared ("" when they can): one of
// them could not run or was cut short, so its numbers measured nothing (or a part).
func notComparable(b, n *Report) string {
	switch {
	case b.RunError != "" || b.Interrupted:
		return "metrics not compared: the base run " + runState(b)
	case n.RunError != "" || n.Interrupted:
		return "metrics not compared: the new run " + runState(n)
	}
	return ""
}

func runState(r *Report) string {
	switch {
	case r.RunError != "":
		return "could not run"
	case r.Interrupted:
		return "was interrupted"
	}
	return "ran"
}

// changeList collects the changes of one scenario.
type changeList struct {
	scenario string
	out      []Change
}

func (c *changeList) add(k ChangeKind, metric, bv, nv, detail string) {
	c.out = append(c.out, Change{Kind: k, Scenario: c.scenario, Metric: metric, Base: bv, New: nv, Detail: detail})
}

// verdict: a scenario that passed and now fails, or the reverse.
func (c *changeList) verdict(b, n *Report) {
	switch {
	case b.Passed() && !n.Passed():
		c.add(Regression, "verdict", string(b.Verdict), string(n.Verdict), "the scenario passed and now fails")
	case !b.Passed() && n.Passed():
		c.add(Improvement, "verdict", string(b.Verdict), string(n.Verdict), "the scenario failed and now passes")
	}
}

// slos: an SLO newly breached (or new and breached), or one that was breached and now holds.
func (c *changeList) slos(base, now []SLO) {
	baseSLO := map[string]SLO{}
	for _, s := range base {
		baseSLO[s.Expr] = s
	}
	for _, s := range now {
		bs, had := baseSLO[s.Expr]
		switch {
		case !s.Pass && (!had || bs.Pass):
			prev := "absent"
			if had {
				prev = "pass (" + bs.Observed + ")"
			}
			c.add(Regression, "slo: "+s.Expr, prev, "breached ("+s.Observed+")", s.Reason)
		case s.Pass && had && !bs.Pass:
			c.add(Improvement, "slo: "+s.Expr, "breached ("+bs.Observed+")", "pass ("+s.Observed+")", "")
		}
	}
}

// amplification: the run's amplification rose or fell by more than rise.
func (c *changeList) amplification(ba, na Float, rise float64) {
	if !ba.Valid() || !na.Valid() {
		return
	}
	// Below 1 only means requests never reached a provider (down, blackhole): the
	// retry load that matters is above 1, so compare from max(base, 1).
	delta := float64(na) - max(float64(ba), 1)
	if float64(ba) > 1 && float64(na) < float64(ba) {
		delta = float64(na) - float64(ba)
	}
	switch {
	case delta > rise:
		c.add(Regression, "amplification", fmtAmp(ba), fmtAmp(na), fmt.Sprintf("rose by %.2f (threshold %.2f)", delta, rise))
	case -delta > rise:
		c.add(Improvement, "amplification", fmtAmp(ba), fmtAmp(na), "")
	}
}

// retryAfter: Retry-After violations rose by more than increase, or fell.
func (c *changeList) retryAfter(bv, nv, increase int) {
	if nv-bv > increase {
		c.add(Regression, "retry_after_violations", fmt.Sprint(bv), fmt.Sprint(nv), "")
	} else if bv > nv {
		c.add(Improvement, "retry_after_violations", fmt.Sprint(bv), fmt.Sprint(nv), "")
	}
}

// phases: each phase in both runs whose availability or p99 latency moved beyond th.
func (c *changeList) phases(base, now []Phase, th Thresholds) {
	basePh := map[string]Phase{}
	for _, p := range base {
		basePh[p.Name] = p
	}
	for _, p := range now {
		bp, ok := basePh[p.Name]
		if !ok {
			continue
		}
		if bp.Availability.Valid() && p.Availability.Valid() {
			delta := float64(p.Availability - bp.Availability)
			metric := "availability(" + p.Name + ")"
			switch {
			case -delta > th.AvailabilityDrop:
				c.add(Regression, metric, fmtPct(bp.Availability), fmtPct(p.Availability),
					fmt.Sprintf("fell by %.2f points (threshold %.2f)", -delta*100, th.AvailabilityDrop*100))
			case delta > th.AvailabilityDrop:
				c.add(Improvement, metric, fmtPct(bp.Availability), fmtPct(p.Availability), "")
			}
		}
		if bp.LatencyMS.N > 0 && p.LatencyMS.N > 0 {
			metric := "p99(latency, " + p.Name + ")"
			switch {
			case rose(bp.LatencyMS.P99, p.LatencyMS.P99, th.LatencyRel, th.LatencyAbs):
				c.add(Regression, metric, fmtMS(bp.LatencyMS.P99), fmtMS(p.LatencyMS.P99), "")
			case rose(p.LatencyMS.P99, bp.LatencyMS.P99, th.LatencyRel, th.LatencyAbs):
				c.add(Improvement, metric, fmtMS(bp.LatencyMS.P99), fmtMS(p.LatencyMS.P99), "")
			}
		}
	}
}

// rose reports whether to went up from from by more than both thresholds.
func rose(from, to, rel float64, abs time.Duration) bool {
	return to-from > ms(abs) && to > from*(1+rel)
}

func diffMeasure(scenario, metric string, bv *float64, bs MeasureState, nv *float64, ns MeasureState, rel float64, abs time.Duration) []Change {
	c := Change{Scenario: scenario, Metric: metric, Base: fmtMeasure(bv, bs), New: fmtMeasure(nv, ns)}
	switch {
	case ns == StateNever && bs != StateNever:
		c.Kind, c.Detail = Regression, "never settled in the new run"
	case bs == StateNever && ns == StateMeasured:
		c.Kind, c.Detail = Improvement, "settles now"
	case bs == StateMeasured && ns == StateMeasured && bv != nil && nv != nil:
		switch {
		case rose(*bv, *nv, rel, abs):
			c.Kind = Regression
			c.Detail = fmt.Sprintf("rose by %s (thresholds +%.0f%% and +%s)", fmtMS(*nv-*bv), rel*100, fmtMS(ms(abs)))
		case rose(*nv, *bv, rel, abs):
			c.Kind = Improvement
		default:
			return nil
		}
	case bs != ns && (bs == StateNone || ns == StateNone):
		c.Kind, c.Detail = Note, "measured in only one run (a fault added or removed)"
	default:
		return nil
	}
	return []Change{c}
}
