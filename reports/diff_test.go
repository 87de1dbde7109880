package reports

import (
	"bytes"
	"strings"
	"testing"
)

// diffFixture is a copy of the passing report with its metrics changed by mod.
func diffFixture(mod func(r *Report)) *Report {
	r := fixtureReports()[0]
	cp := *r
	cp.SLOs = append([]SLO(nil), r.SLOs...)
	cp.Phases = append([]Phase(nil), r.Phases...)
	if r.Metrics.TTFMS != nil {
		v := *r.Metrics.TTFMS
		cp.Metrics.TTFMS = &v
	}
	mod(&cp)
	return &cp
}

func f64(v float64) *float64 { return &v }

func metrics(d DiffResult, k ChangeKind) string {
	var out []string
	for _, c := range d.of(k) {
		out = append(out, c.Metric)
	}
	return strings.Join(out, ",")
}

func TestDiffRegressions(t *testing.T) {
	base := diffFixture(func(r *Report) { r.Metrics.TTFMS = f64(800) })
	cases := []struct {
		name      string
		mod       func(r *Report)
		regressed string
		improved  string
	}{
		{"identical", func(r *Report) {}, "", ""},
		{"ttf 0.8s to 2.4s", func(r *Report) { r.Metrics.TTFMS = f64(2400) }, "ttf", ""},
		{"ttf within thresholds", func(r *Report) { r.Metrics.TTFMS = f64(1100) }, "", ""},
		{"ttf big relative, small absolute", func(r *Report) { r.Metrics.TTFMS = f64(1250) }, "", ""},
		{"ttf never", func(r *Report) { r.Metrics.TTFMS, r.Metrics.TTFState = nil, StateNever }, "ttf", ""},
		{"ttf improves", func(r *Report) { r.Metrics.TTFMS = f64(100) }, "", "ttf"},
		{"failback rises", func(r *Report) { r.Metrics.FailbackMS = f64(4000) }, "failback", ""},
		{"availability drops 2 points", func(r *Report) { r.Phases[1].Availability = 0.88 }, "availability(outage)", ""},
		{"availability drops half a point", func(r *Report) { r.Phases[1].Availability = 0.895 }, "", ""},
		{"availability rises", func(r *Report) { r.Phases[1].Availability = 0.99 }, "", "availability(outage)"},
		{"p99 doubles", func(r *Report) { r.Phases[1].LatencyMS.P99 = 2500 }, "p99(latency, outage)", ""},
		{"amplification rises", func(r *Report) { r.Metrics.Amplification = 1.5 }, "amplification", ""},
		{"retry-after violations", func(r *Report) { r.Metrics.RetryAfterViolations = 3 }, "retry_after_violations", ""},
		{"slo breached and verdict fails", func(r *Report) {
			r.Verdict = VerdictFail
			r.SLOs[0] = SLO{Expr: "ttf <= 2s", Observed: "2.4s", Pass: false, Reason: "slow"}
		}, "verdict,slo: ttf <= 2s", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			d := Diff([]*Report{base}, []*Report{diffFixture(func(r *Report) { r.Metrics.TTFMS = f64(800); tc.mod(r) })}, DefaultThresholds())
			if got := metrics(d, Regression); got != tc.regressed {
				t.Errorf("regressions = %q, want %q", got, tc.regressed)
			}
			if got := metrics(d, Improvement); got != tc.improved {
				t.Errorf("improvements = %q, want %q", got, tc.improved)
			}
			if d.Regressed() != (tc.regressed != "") || d.Compared != 1 {
				t.Errorf("Regressed() = %v, Compared = %d", d.Regressed(), d.Compared)
			}
		})
	}
}

func TestDiffFixedAndMissingScenarios(t *testing.T) {
	reps := fixtureReports()
	failing := *reps[1]
	fixed := *reps[0]
	fixed.Scenario = failing.Scenario
	d := Diff([]*Report{&failing, reps[0]}, []*Report{&fixed}, DefaultThresholds())
	// The fixed scenario only improves; the one missing from the new set is a regression
	// (issue 14: it did not run, which a CI gate must not pass).
	if got := d.Regressions(); len(got) != 1 || got[0].Metric != "scenario" || got[0].Scenario != "provider-dropout" || got[0].New != "absent" {
		t.Errorf("regressions = %+v, want only the missing scenario", got)
	}
	if got := metrics(d, Improvement); !strings.HasPrefix(got, "verdict,slo: ttf <= 2s,") || !strings.Contains(got, "ttf") {
		t.Errorf("improvements = %q", got)
	}
	if got := d.Notes(); len(got) != 0 {
		t.Errorf("notes = %+v, want none", got)
	}
	added := Diff(nil, []*Report{reps[0]}, DefaultThresholds())
	if added.Regressed() || len(added.Notes()) != 1 || added.Compared != 0 {
		t.Errorf("an added scenario: %+v", added)
	}
	var text, md bytes.Buffer
	if err := d.WriteText(&text); err != nil {
		t.Fatal(err)
	}
	if err := d.WriteMarkdown(&md); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(text.String(), "Improvements:\n  naive-client  verdict: fail -> pass") || !strings.Contains(md.String(), "1 regression(s)") {
		t.Errorf("renderings:\n%s\n%s", text.String(), md.String())
	}
}

// TestDiffAmplificationBelowOne: amplification under 1 only means requests never reached a
// provider; climbing back to 1 is no retry storm, climbing past 1 by the threshold is.
func TestDiffAmplificationBelowOne(t *testing.T) {
	at := func(a Float) *Report { return diffFixture(func(r *Report) { r.Metrics.Amplification = a }) }
	if d := Diff([]*Report{at(0.67)}, []*Report{at(1.0)}, DefaultThresholds()); d.Regressed() {
		t.Errorf("0.67 → 1.00 flagged: %+v", d.Regressions())
	}
	if d := Diff([]*Report{at(0.67)}, []*Report{at(1.5)}, DefaultThresholds()); metrics(d, Regression) != "amplification" {
		t.Errorf("0.67 → 1.50 not flagged: %+v", d.Changes)
	}
	if d := Diff([]*Report{at(2.0)}, []*Report{at(1.0)}, DefaultThresholds()); metrics(d, Improvement) != "amplification" {
		t.Errorf("2.00 → 1.00 not an improvement: %+v", d.Changes)
	}
}
