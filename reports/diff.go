package reports

import (
	"fmt"
	"math"
	"time"
)

// Default thresholds of Diff. A duration or latency counts as a regression when it rose
// by more than both its relative and its absolute threshold, so noise on small values
// and small relative moves on large values are both ignored.
const (
	DefaultTTFRel             = 0.5
	DefaultTTFAbs             = 500 * time.Millisecond
	DefaultFailbackRel        = 0.5
	DefaultFailbackAbs        = 1 * time.Second
	DefaultLatencyRel         = 0.5
	DefaultLatencyAbs         = 250 * time.Millisecond
	DefaultAvailabilityDrop   = 0.01
	DefaultAmplificationRise  = 0.25
	DefaultRetryAfterIncrease = 0
)

// Thresholds say how much worse a metric may get before Diff calls it a regression
// (and how much better before it lists an improvement).
type Thresholds struct {
	TTFRel float64
	TTFAbs time.Duration
	// Failback* apply to failback.
	FailbackRel float64
	FailbackAbs time.Duration
	// Latency* apply to each phase's p99 latency.
	LatencyRel float64
	LatencyAbs time.Duration
	// AvailabilityDrop is the largest allowed fall of a phase's availability (0.01 = one point).
	AvailabilityDrop float64
	// AmplificationRise is the largest allowed rise of the run's amplification.
	AmplificationRise float64
	// RetryAfterIncrease is the largest allowed rise of Retry-After violations.
	RetryAfterIncrease int
}

// Validate reports a threshold that cannot be meant: a negative one (a negative
// availability drop made identical reports a regression) or one that is not a number.
// The error names the CLI flag of the field.
func (t Thresholds) Validate() error {
	for _, f := range []struct {
		flag string
		v    float64
	}{
		{"ttf-rel", t.TTFRel}, {"ttf-abs", float64(t.TTFAbs)}, {"failback-rel", t.FailbackRel},
		{"failback-abs", float64(t.FailbackAbs)}, {"latency-rel", t.LatencyRel}, {"latency-abs", float64(t.LatencyAbs)},
		{"availability-drop", t.AvailabilityDrop}, {"amplification-rise", t.AmplificationRise},
		{"retry-after-increase", float64(t.RetryAfterIncrease)},
	} {
		if f.v < 0 || math.IsNaN(f.v) || math.IsInf(f.v, 0) {
			return fmt.Errorf("threshold --%s is %v: thresholds are zero or more (how much worse a metric may get)", f.flag, f.v)
		}
	}
	return nil
}

// DefaultThresholds returns the Default* thresholds.
func DefaultThresholds() Thresholds {
	return Thresholds{
		TTFRel: DefaultTTFRel, TTFAbs: DefaultTTFAbs,
		FailbackRel: DefaultFailbackRel, FailbackAbs: DefaultFailbackAbs,
		LatencyRel: DefaultLatencyRel, LatencyAbs: DefaultLatencyAbs,
		AvailabilityDrop: DefaultAvailabilityDrop, AmplificationRise: DefaultAmplificationRise,
		RetryAfterIncrease: DefaultRetryAfterIncrease,
	}
}

// ChangeKind says which way a metric moved.
type ChangeKind string

// The change kinds.
const (
	Regression  ChangeKind = "regression"
	Improvement ChangeKind = "improvement"
	// Note: a change worth knowing that is neither (a scenario added, a metric or a run
	// that could not be compared).
	Note ChangeKind = "note"
)

// Change is one metric of one scenario that moved.
type Change struct {
	Kind     ChangeKind `json:"kind"`
	Scenario string     `json:"scenario"`
	// Metric names what moved: "verdict", "ttf", "failback", "amplification",
	// "availability(outage)", "p99(latency, outage)", "slo: ttf <= 2s", "scenario".
	Metric string `json:"metric"`
	Base   string `json:"base"`
	New    string `json:"new"`
	Detail string `json:"detail,omitempty"`
}

// DiffResult is every change between a baseline and a new set of reports, in scenario
// order (the new set's, then scenarios only in the baseline).
type DiffResult struct {
	Changes []Change `json:"changes"`
	// Compared counts the scenarios found in both sets.
	Compared int `json:"compared"`
}

// Regressed reports whether any change is a regression (a CI job exits 1 on it).
func (d DiffResult) Regressed() bool { return len(d.Regressions()) > 0 }

// Regressions returns the regressions.
func (d DiffResult) Regressions() []Change { return d.of(Regression) }

// Improvements returns the improvements.
func (d DiffResult) Improvements() []Change { return d.of(Improvement) }

// Notes returns the notes.
func (d DiffResult) Notes() []Change { return d.of(Note) }

func (d DiffResult) of(k ChangeKind) []Change {
	var out []Change
	for _, c := range d.Changes {
		if c.Kind == k {
			out = append(out, c)
		}
	}
	return out
}

// Diff compares reports by scenario name. Regressions: a scenario of base missing from
// new (it did not run); a scenario that passed and now fails; an SLO newly breached; ttf
// or failback becoming "never" or rising beyond the thresholds; a phase's availability
// falling or p99 latency rising beyond them; amplification or Retry-After violations
// rising. The opposite moves are improvements. A scenario only in new is a note. When
// either run of a scenario could not run or was cut short (RunError, Interrupted), only
// its verdict is compared: its metrics measured nothing, so they make no improvement or
// regression (a note says so). When a name repeats, the last report wins.
func Diff(base, new []*Report, th Thresholds) DiffResult {
	baseBy := map[string]*Report{}
	for _, r := range base {
		baseBy[r.Scenario] = r
	}
	var d DiffResult
	seen := map[string]bool{}
	for _, n := range new {
		if seen[n.Scenario] {
			continue
		}
		seen[n.Scenario] = true
		b, ok := baseBy[n.Scenario]
		if !ok {
			d.Changes = append(d.Changes, Change{Kind: Note, Scenario: n.Scenario, Metric: "scenario",
				Base: "absent", New: string(n.Verdict), Detail: "new scenario, nothing to compare"})
			continue
		}
		d.Compared++
		d.Changes = append(d.Changes, diffOne(b, lastNamed(new, n.Scenario), th)...)
	}
	for _, b := range base {
		if !seen[b.Scenario] {
			seen[b.Scenario] = true
			d.Changes = append(d.Changes, Change{Kind: Regression, Scenario: b.Scenario, Metric: "scenario",
				Base: string(b.Verdict), New: "absent", Detail: "scenario not in the new reports: it did not run"})
		}
	}
	return d
}

func lastNamed(reps []*Report, name string) *Report {
	var out *Report
	for _, r := range reps {
		if r.Scenario == name {
			out = r
		}
	}
	return out
}
