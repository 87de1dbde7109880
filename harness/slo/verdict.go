package slo

import "time"

// Verdict is the judgement of one run: every SLO with what was observed, and the metrics.
type Verdict struct {
	Scenario string
	// Pass is true when every check passed.
	Pass    bool
	Checks  []Check
	Metrics Metrics
}

// Check is one SLO evaluated.
type Check struct {
	// Expr is the SLO as written ("ttf <= 2s").
	Expr string
	// Observed is the measured value as people read it ("1.23s", "never", "0.987").
	Observed string
	// Value is the measured value as a number in the SLO's unit (seconds for durations);
	// meaningless when Never is set.
	Value float64
	// Never is set when the measured thing did not happen (ttf or failback never settled).
	Never bool
	Pass  bool
	// Reason says why it failed, with the timeline that matters; "" when it passed,
	// except for an inconclusive check (its note) or a failback not measured (why).
	Reason string
	// Inconclusive is set for a ratio SLO (availability, telemetry_availability) whose
	// threshold lies inside the ratio's 95% Wilson interval: the samples cannot tell the
	// two sides apart. The check still passes or fails on the point value (Value); the
	// Reason ends with "inconclusive: raise the rate or the phase length (…)" (additive).
	Inconclusive bool
	// Interval is the 95% Wilson interval of a ratio SLO's value and N the samples behind
	// it (zero for other metrics) (additive).
	Interval Interval
	N        int
}

// Breached returns the checks that failed.
func (v Verdict) Breached() []Check {
	var out []Check
	for _, c := range v.Checks {
		if !c.Pass {
			out = append(out, c)
		}
	}
	return out
}

// Measure is a measured duration that may not have happened.
type Measure struct {
	Value time.Duration
	// Never: the thing did not happen within its window (a failover that never settled).
	Never bool
	// None: there was nothing to measure (no fault in the run).
	None bool
}
