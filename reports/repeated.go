package reports

import (
	"fmt"
	"math"
	"sort"
	"strings"
)

// Repeated judges the reports of one scenario's runs together (llmchaos run --repeat N)
// and returns the scenario's report: a copy of one run's report (Repeats.ShownRun) with
// the Repeats summary, slos[].pass set to the judgement over the runs, a note on every
// flaky SLO's reason, and the verdict over the runs. runs are in run order; they are not
// changed. With one run it returns that run's report as it is (no Repeats); with none, nil.
//
// The judgement: a run that could not run or was interrupted (RunError, Interrupted)
// judges no SLO and fails the verdict. An SLO holds when it held in more than half of
// the runs that judged it (a tie fails), or, strict, in every one of them; it is flaky
// when it held in some and not in others. The verdict passes when every SLO holds and
// every run ran to its end.
func Repeated(runs []*Report, strict bool) *Report {
	switch len(runs) {
	case 0:
		return nil
	case 1:
		return runs[0]
	}
	rep := &Repeats{Runs: len(runs), Strict: strict, Verdicts: make([]string, len(runs))}
	for i, r := range runs {
		rep.Verdicts[i] = string(r.Verdict)
		if !ranToEnd(r) {
			rep.Verdicts[i] = RunVerdictError
		}
	}
	rep.SLOs = repeatSLOs(runs, strict)
	rep.ShownRun = shownRun(runs, rep.SLOs) + 1
	out := *runs[rep.ShownRun-1]
	out.Repeats = rep
	out.SLOs = make([]SLO, len(out.SLOs))
	copy(out.SLOs, runs[rep.ShownRun-1].SLOs)
	out.Verdict = VerdictPass
	for i := range out.SLOs {
		if i >= len(rep.SLOs) {
			break
		}
		agg := rep.SLOs[i]
		out.SLOs[i].Pass = agg.Pass
		if agg.Flaky {
			note := fmt.Sprintf("flaky: held in %d of %d runs (%s); observed min / median / max %s; run %d shown",
				agg.Held, agg.Runs, rep.decisionText(), agg.spreadText(), rep.ShownRun)
			out.SLOs[i].Reason = strings.TrimPrefix(out.SLOs[i].Reason+"; "+note, "; ")
		}
	}
	for _, s := range rep.SLOs {
		if !s.Pass {
			out.Verdict = VerdictFail
		}
	}
	for i, r := range runs {
		if rep.Verdicts[i] == RunVerdictError {
			out.Verdict = VerdictFail
			out.Interrupted = out.Interrupted || r.Interrupted
		}
	}
	return &out
}

// ranToEnd reports whether the run played its whole timeline (its SLOs were judged).
func ranToEnd(r *Report) bool { return r.RunError == "" && !r.Interrupted }

// repeatSLOs judges each SLO (by its position in slos[], the same in every run of one
// scenario) over the runs that ran to their end.
func repeatSLOs(runs []*Report, strict bool) []RepeatSLO {
	var exprs []string
	for _, r := range runs {
		if ranToEnd(r) && len(r.SLOs) > len(exprs) {
			exprs = exprs[:0]
			for _, s := range r.SLOs {
				exprs = append(exprs, s.Expr)
			}
		}
	}
	out := make([]RepeatSLO, len(exprs))
	for i, expr := range exprs {
		var seen []SLO
		for _, r := range runs {
			if ranToEnd(r) && i < len(r.SLOs) {
				seen = append(seen, r.SLOs[i])
			}
		}
		out[i] = judgeRepeated(expr, seen, strict)
	}
	return out
}

// judgeRepeated is one SLO over the checks of the runs that judged it.
func judgeRepeated(expr string, checks []SLO, strict bool) RepeatSLO {
	s := RepeatSLO{Expr: expr, Runs: len(checks), Min: nan(), Median: nan(), Max: nan()}
	var measured []SLO
	for _, c := range checks {
		if c.Pass {
			s.Held++
		}
		if c.Inconclusive {
			s.Inconclusive++
		}
		switch {
		case c.Never:
			s.Never++
			measured = append(measured, c)
		case notMeasured(c):
			s.NotMeasured++
		default:
			measured = append(measured, c)
		}
	}
	s.Flaky = s.Held > 0 && s.Held < s.Runs
	s.Pass = s.Runs > 0 && (s.Held == s.Runs || (!strict && 2*s.Held > s.Runs))
	if len(measured) == 0 {
		return s
	}
	sort.SliceStable(measured, func(i, j int) bool { return spreadKey(measured[i]) < spreadKey(measured[j]) })
	pick := func(c SLO) (Float, string) {
		if c.Never {
			return nan(), c.Observed
		}
		return c.Value, c.Observed
	}
	s.Min, s.MinObserved = pick(measured[0])
	s.Median, s.MedianObserved = pick(measured[(len(measured)+1)/2-1])
	s.Max, s.MaxObserved = pick(measured[len(measured)-1])
	return s
}

// notMeasured: the check read n/a (nothing to measure), so it has no value.
func notMeasured(c SLO) bool { return strings.HasPrefix(c.Observed, "n/a") }

// spreadKey orders observed values, never above every value.
func spreadKey(c SLO) float64 {
	if c.Never || !c.Value.Valid() {
		return math.Inf(1)
	}
	return float64(c.Value)
}

func nan() Float { return Float(math.NaN()) }

// shownRun picks the run the repeated report shows (0-based): the first that did not run
// to its end, else the one whose own SLO verdicts agree most with the judgement over the
// runs, the earliest on a tie.
func shownRun(runs []*Report, judged []RepeatSLO) int {
	best, bestAgree := 0, -1
	for i, r := range runs {
		if !ranToEnd(r) {
			return i
		}
		agree := 0
		for j, s := range r.SLOs {
			if j < len(judged) && s.Pass == judged[j].Pass {
				agree++
			}
		}
		if agree > bestAgree {
			best, bestAgree = i, agree
		}
	}
	return best
}
