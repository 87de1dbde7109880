package slo

import (
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/llmchaos/llmchaos/harness"
)

// Evaluate measures r (as Compute does, with the same options) and checks every SLO
// against it. Verdict.Pass is true when every check passed (and when there are none).
// An SLO naming a phase the run does not have fails with a reason listing the phases.
func Evaluate(r *harness.Result, slos []SLO, opts ...Option) Verdict {
	rn := newRun(r, newConfig(opts))
	m := rn.compute()
	v := Verdict{Scenario: rn.r.Scenario, Pass: true, Metrics: m}
	for _, s := range slos {
		c := rn.check(s, m)
		v.Checks = append(v.Checks, c)
		v.Pass = v.Pass && c.Pass
	}
	return v
}

// EvaluateStrings parses exprs and evaluates them against r. Every expression that does
// not parse is reported in the error (which wraps ErrSLO); nothing is evaluated then.
func EvaluateStrings(r *harness.Result, exprs []string, opts ...Option) (Verdict, error) {
	slos, err := ParseAll(exprs)
	if err != nil {
		return Verdict{}, err
	}
	return Evaluate(r, slos, opts...), nil
}

// ParseAll parses every expression; the error joins one error per bad expression.
func ParseAll(exprs []string) ([]SLO, error) {
	var errs []error
	slos := make([]SLO, 0, len(exprs))
	for _, e := range exprs {
		s, err := Parse(e)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		slos = append(slos, s)
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return slos, nil
}

// check evaluates one SLO.
func (rn *run) check(s SLO, m Metrics) Check {
	c := Check{Expr: s.String()}
	if s.Phase != "" && !hasPhase(m.Phases, s.Phase) {
		c.Observed = "n/a"
		c.Reason = fmt.Sprintf("unknown phase %q; the run's phases are: %s", s.Phase, strings.Join(phaseNames(m.Phases), ", "))
		return c
	}
	want := fmt.Sprintf("want %s %s", s.Op, s.thresholdString())
	switch s.Metric {
	case MetricTTF, MetricFailback:
		return rn.checkMeasure(c, s, m, want)
	case MetricLatency, MetricTTFT:
		return rn.checkPercentile(c, s, want)
	}
	obs, shown, explain, ok := rn.observe(s, m)
	c.Observed = shown
	if !ok { // nothing to measure
		c.Pass = explain == ""
		c.Reason = explain
		return c
	}
	c.Value = obs
	c.Pass = s.Op.holds(obs, s.Threshold)
	if !c.Pass {
		c.Reason = fmt.Sprintf("%s %s, %s; %s", s.name(), shown, want, explain)
	}
	return c
}

// thresholdString writes the threshold as the SLO's unit reads.
func (s SLO) thresholdString() string {
	if s.Unit() == UnitDuration {
		return s.Duration.String()
	}
	return fmt.Sprintf("%g", s.Threshold)
}

// checkMeasure checks ttf or failback: never fails, none (nothing measured) passes.
func (rn *run) checkMeasure(c Check, s SLO, m Metrics, want string) Check {
	meas, pick := m.TTF, func(w FaultWindow) Measure { return w.TTF }
	story := func(w FaultWindow) string { return w.TTFStory() }
	if s.Metric == MetricFailback {
		meas, pick = m.Failback, func(w FaultWindow) Measure { return w.Failback }
		story = func(w FaultWindow) string { return w.FailbackStory(rn.cfg.failbackShare) }
	}
	switch {
	case meas.None:
		c.Observed, c.Pass = "n/a (nothing to fail over from)", true
		if len(m.Faults) == 0 {
			c.Observed = "n/a (no fault)"
		}
		return c
	case meas.Never:
		c.Observed, c.Never = "never", true
	default:
		c.Observed, c.Value = fmtDur(meas.Value), meas.Value.Seconds()
		c.Pass = s.Op.holds(float64(meas.Value), float64(s.Duration))
	}
	if !c.Pass {
		w, _ := worstWindow(m.Faults, pick)
		c.Reason = fmt.Sprintf("%s, %s", story(w), want)
	}
	return c
}

// checkPercentile checks pN(latency|ttft[, phase]) with the nearest-rank percentile.
func (rn *run) checkPercentile(c Check, s SLO, want string) Check {
	in := rn.phaseSamples(s.Phase)
	type obs struct {
		d time.Duration
		s harness.Sample
	}
	var all []obs
	for _, x := range in {
		if x.Outcome == harness.OutcomeDropped || x.Ended.IsZero() {
			continue
		}
		d := x.Latency()
		if s.Metric == MetricTTFT {
			t, ok := x.TTFT()
			if !ok {
				continue
			}
			d = t
		}
		all = append(all, obs{d, x})
	}
	if len(all) == 0 {
		c.Observed = "n/a"
		c.Reason = fmt.Sprintf("%s: no sample to measure (%s scheduled)", s.name(), plural(len(in), "sample", "samples"))
		return c
	}
	sort.SliceStable(all, func(i, j int) bool { return all[i].d < all[j].d })
	ds := make([]time.Duration, len(all))
	for i, o := range all {
		ds[i] = o.d
	}
	p := percentile(ds, s.Percentile)
	c.Observed, c.Value = fmtDur(p), p.Seconds()
	c.Pass = s.Op.holds(float64(p), float64(s.Duration))
	if !c.Pass {
		slow := all[len(all)-1]
		c.Reason = fmt.Sprintf("%s %s over %s, %s; slowest: #%d scheduled at %s took %s (%s)",
			s.name(), c.Observed, plural(len(all), "sample", "samples"), want,
			slow.s.Seq, fmtAt(rn.off(slow.s.Scheduled)), fmtDur(slow.d), slow.s.Outcome)
	}
	return c
}

func hasPhase(ps []PhaseMetrics, name string) bool {
	for _, p := range ps {
		if p.Name == name {
			return true
		}
	}
	return false
}

func phaseNames(ps []PhaseMetrics) []string {
	var out []string
	for _, p := range ps {
		if p.Name != "" {
			out = append(out, p.Name)
		}
	}
	return out
}
