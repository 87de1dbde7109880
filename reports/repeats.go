package reports

import (
	"strconv"
	"strings"
)

// Repeats is what a scenario run several times (llmchaos run --repeat N) did across its
// runs. A report that has it (the JSON key "repeats"; absent for a single run) shows one
// run in full — slos[].observed/value/reason, metrics, phases, series, errors and the
// app's log are run ShownRun's, so every observed value is still the figure beside it —
// while its verdict and slos[].pass are the judgement over the runs: SLOs[i] here.
type Repeats struct {
	// Runs is how many runs were made (fewer than asked when the run was interrupted).
	Runs int `json:"runs"`
	// ShownRun is the run (1-based) the rest of the report shows: the first run that
	// could not run or was interrupted, else the run whose SLO verdicts agree most with
	// the judgement over the runs (the earliest on a tie).
	ShownRun int `json:"shown_run"`
	// Strict: an SLO held only when it held in every run. Otherwise the majority of
	// the judged runs decided (a tie fails).
	Strict bool `json:"strict"`
	// Verdicts is each run's own verdict, in run order: "pass", "fail", or "error" for a
	// run that could not run or was interrupted (such a run judges no SLO).
	Verdicts []string `json:"verdicts"`
	// SLOs are the scenario's SLOs in the order of slos[], judged over the runs.
	SLOs []RepeatSLO `json:"slos"`
}

// RunVerdictError is a run's entry in Repeats.Verdicts when it could not run or was
// interrupted.
const RunVerdictError = "error"

// RepeatSLO is one SLO over the runs that judged it.
type RepeatSLO struct {
	Expr string `json:"expr"`
	// Runs is how many runs judged the SLO (runs that ran to their end); Held how many
	// of them met it.
	Runs int `json:"runs"`
	Held int `json:"held"`
	// Pass is the judgement over the runs: held in more than half of them, or, with
	// Repeats.Strict, in every one. An SLO no run judged fails.
	Pass bool `json:"pass"`
	// Flaky: its verdict changed across the runs (held in some, breached in others).
	Flaky bool `json:"flaky"`
	// Inconclusive counts the runs whose check was inconclusive (a ratio whose 95%
	// interval holds the threshold).
	Inconclusive int `json:"inconclusive"`
	// Never counts the runs where it read never (ttf, failback); NotMeasured the runs
	// where it read n/a (nothing to measure). Neither has a value.
	Never       int `json:"never"`
	NotMeasured int `json:"not_measured"`
	// Min, Median and Max are the spread of the observed value over the runs that
	// measured it, in the SLO's unit (seconds for durations), never counting as the
	// largest; the median is the nearest-rank one (a value a run observed). Each is null
	// when it is never or no run measured the SLO. The *Observed fields are how those
	// runs' values read ("1.23s", "never").
	Min            Float  `json:"min"`
	Median         Float  `json:"median"`
	Max            Float  `json:"max"`
	MinObserved    string `json:"min_observed"`
	MedianObserved string `json:"median_observed"`
	MaxObserved    string `json:"max_observed"`
}

// Flaky returns the SLOs of a repeated report whose verdict changed across runs (none for
// a single run).
func (r *Report) Flaky() []RepeatSLO {
	if r.Repeats == nil {
		return nil
	}
	var out []RepeatSLO
	for _, s := range r.Repeats.SLOs {
		if s.Flaky {
			out = append(out, s)
		}
	}
	return out
}

// heldText says how often an SLO held: "held 4/5 (flaky)".
func (s RepeatSLO) heldText() string {
	t := "held " + strconv.Itoa(s.Held) + "/" + strconv.Itoa(s.Runs)
	if s.Flaky {
		t += " (flaky)"
	}
	return t
}

// spreadText is the SLO's spread as people read it: "410ms / 520ms / 2.30s", or "–"
// when no run measured it.
func (s RepeatSLO) spreadText() string {
	if s.MinObserved == "" {
		return "–"
	}
	return s.MinObserved + " / " + s.MedianObserved + " / " + s.MaxObserved
}

// decisionText says how the runs were judged: "majority of 5 runs", "every one of 5 runs".
func (r *Repeats) decisionText() string {
	if r.Strict {
		return "strict: every one of " + strconv.Itoa(r.Runs) + " runs"
	}
	return "majority of " + strconv.Itoa(r.Runs) + " runs"
}

// passedText is how many runs passed: "4 of 5".
func (r *Repeats) passedText() string {
	n := 0
	for _, v := range r.Verdicts {
		if v == string(VerdictPass) {
			n++
		}
	}
	return strconv.Itoa(n) + " of " + strconv.Itoa(r.Runs)
}

// verdictsText lists each run's verdict: "run 1 pass · run 2 fail · run 3 error".
func (r *Repeats) verdictsText() string {
	parts := make([]string, len(r.Verdicts))
	for i, v := range r.Verdicts {
		parts[i] = "run " + strconv.Itoa(i+1) + " " + v
		if i+1 == r.ShownRun {
			parts[i] += " (shown)"
		}
	}
	return strings.Join(parts, " · ")
}

// breachedItems lists a report's breached SLOs for a verdict table (with how many runs
// held each, repeated), then the flaky SLOs that still held ("⚠️ EXPR (held 4/5 (flaky))").
func breachedItems(r *Report) []string {
	var out []string
	for i, s := range r.SLOs {
		if s.Pass {
			continue
		}
		item := s.Expr
		if r.Repeats != nil && i < len(r.Repeats.SLOs) {
			item += " (" + r.Repeats.SLOs[i].heldText() + ")"
		}
		out = append(out, item)
	}
	for i, s := range r.SLOs {
		if s.Pass && r.Repeats != nil && i < len(r.Repeats.SLOs) && r.Repeats.SLOs[i].Flaky {
			out = append(out, "⚠️ "+s.Expr+" ("+r.Repeats.SLOs[i].heldText()+")")
		}
	}
	return out
}
