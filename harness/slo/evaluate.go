package slo

import (
	"errors"
	"fmt"
	"strings"

	"github.com/llmchaos/llmchaos/harness"
)

// Evaluate checks every SLO against m, reading m only: each Check's Value is the number
// Metrics holds for that SLO's metric and phase (Run for an SLO naming no phase), so a
// report built from m shows exactly what was judged. Verdict.Pass is true when every
// check passed (and when there are none). An SLO naming a phase the run does not have
// fails with a reason listing the phases.
func Evaluate(m Metrics, slos []SLO) Verdict {
	v := Verdict{Scenario: m.Scenario, Pass: true, Metrics: m}
	for _, s := range slos {
		c := check(s, m)
		v.Checks = append(v.Checks, c)
		v.Pass = v.Pass && c.Pass
	}
	return v
}

// EvaluateResult measures r once (Compute with opts) and evaluates slos against the
// Metrics: the convenience for callers that hold a Result.
func EvaluateResult(r *harness.Result, slos []SLO, opts ...Option) Verdict {
	return Evaluate(Compute(r, opts...), slos)
}

// EvaluateStrings parses exprs and evaluates them against r (EvaluateResult). Every
// expression that does not parse is reported in the error (which wraps ErrSLO); nothing
// is evaluated then.
func EvaluateStrings(r *harness.Result, exprs []string, opts ...Option) (Verdict, error) {
	slos, err := ParseAll(exprs)
	if err != nil {
		return Verdict{}, err
	}
	return EvaluateResult(r, slos, opts...), nil
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

// check evaluates one SLO against m.
func check(s SLO, m Metrics) Check {
	c := Check{Expr: s.String()}
	pm, known := m.Phase(s.Phase)
	if !known {
		c.Observed = "n/a"
		c.Reason = fmt.Sprintf("unknown phase %q; the run's phases are: %s", s.Phase, strings.Join(phaseNames(m.Phases), ", "))
		return c
	}
	want := fmt.Sprintf("want %s %s", s.Op, s.thresholdString())
	switch s.Metric {
	case MetricTTF, MetricFailback:
		return checkMeasure(c, s, m, want)
	case MetricLatency, MetricTTFT:
		return checkPercentile(c, s, pm, want)
	}
	o := observe(s, m, pm)
	c.Observed = o.shown
	if !o.measured { // nothing to measure
		c.Pass = o.explain == ""
		c.Reason = o.explain
		return c
	}
	c.Value = o.value
	c.Pass = s.Op.holds(o.value, s.Threshold)
	if !c.Pass {
		c.Reason = fmt.Sprintf("%s %s, %s; %s", s.name(), o.shown, want, o.explain)
	}
	if o.ratio != nil {
		c.Interval, c.N = o.ratio.ci, o.ratio.n
		c.Inconclusive = o.ratio.ci.Contains(s.Threshold)
	}
	if c.Inconclusive {
		note := fmt.Sprintf("inconclusive: raise the rate or the phase length (95%% interval %.4g–%.4g over %s holds the threshold %g)",
			c.Interval.Low, c.Interval.High, plural(c.N, "sample", "samples"), s.Threshold)
		c.Reason = strings.TrimPrefix(c.Reason+"; "+note, "; ")
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
func checkMeasure(c Check, s SLO, m Metrics, want string) Check {
	meas, pick := m.TTF, func(w FaultWindow) Measure { return w.TTF }
	story := func(w FaultWindow) string { return w.TTFStory() }
	if s.Metric == MetricFailback {
		meas, pick = m.Failback, func(w FaultWindow) Measure { return w.Failback }
		story = func(w FaultWindow) string { return w.FailbackStory(m.FailbackShare) }
	}
	switch {
	case meas.None:
		c.Observed, c.Pass = "n/a (nothing to fail over from)", true
		if len(m.Faults) == 0 {
			c.Observed = "n/a (no fault)"
		}
		if s.Metric == MetricFailback {
			if w, ok := neverFailedOver(m.Faults); ok {
				c.Observed, c.Reason = "n/a (never failed over)", story(w)
			}
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

// checkPercentile checks pN(latency|ttft[, phase]) against the phase's Percentiles.
func checkPercentile(c Check, s SLO, pm PhaseMetrics, want string) Check {
	ps := pm.Latency
	if s.Metric == MetricTTFT {
		ps = pm.TTFT
	}
	if ps.N == 0 {
		c.Observed = "n/a"
		c.Reason = fmt.Sprintf("%s: no sample to measure (%s scheduled)", s.name(), plural(pm.Requests, "sample", "samples"))
		return c
	}
	p := ps.At(s.Percentile)
	c.Observed, c.Value = fmtDur(p), p.Seconds()
	c.Pass = s.Op.holds(float64(p), float64(s.Duration))
	if !c.Pass {
		slow := ps.Slowest
		c.Reason = fmt.Sprintf("%s %s over %s, %s; slowest: #%d scheduled at %s took %s (%s)",
			s.name(), c.Observed, plural(ps.N, "sample", "samples"), want,
			slow.Seq, fmtAt(slow.Scheduled), fmtDur(slow.Value), slow.Outcome)
	}
	return c
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
