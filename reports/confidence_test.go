package reports

import (
	"bytes"
	"strings"
	"testing"

	"github.com/llmchaos/llmchaos/harness/slo"
)

// TestConfidenceInTheReport: every availability carries its sample count and 95% interval
// in the JSON (phases, the whole run, telemetry, ratio SLOs), the whole run is a row of
// its own, and a run that could not run has none of them.
func TestConfidenceInTheReport(t *testing.T) {
	r := fixtureReports()[0]
	run := r.Metrics.Run
	if run == nil || run.Requests != 400 || run.OK != 384 || run.AvailabilityInterval == nil ||
		!(float64(run.AvailabilityInterval.Low) < 0.96 && 0.96 < float64(run.AvailabilityInterval.High)) {
		t.Fatalf("metrics.run %+v: want the whole run, 384 of 400, with an interval around 0.96", run)
	}
	for _, p := range r.Phases {
		// 1e-12: the Wilson bound at 100% is 1 only up to rounding (0.9999999999999999).
		if p.AvailabilityInterval == nil || float64(p.AvailabilityInterval.Low) > float64(p.Availability)+1e-12 || float64(p.AvailabilityInterval.High) < float64(p.Availability)-1e-12 {
			t.Errorf("phase %s: interval %+v does not hold its availability %v", p.Name, p.AvailabilityInterval, p.Availability)
		}
	}
	if tm := r.Metrics.Telemetry; tm.FaultedAvailabilityInterval == nil || tm.SteadyAvailabilityInterval == nil {
		t.Errorf("telemetry intervals missing: %+v", tm)
	}
	avail := r.SLOs[2]
	if avail.N != 160 || avail.Interval == nil || !avail.Inconclusive || !strings.Contains(avail.Reason, "inconclusive: raise the rate") {
		t.Errorf("availability SLO %+v: want n, interval, inconclusive with its note", avail)
	}
	if ttf := r.SLOs[0]; ttf.N != 0 || ttf.Interval != nil || ttf.samplesText() != "–" {
		t.Errorf("ttf SLO %+v: a duration has no samples or interval", ttf)
	}
	var js bytes.Buffer
	if err := r.WriteJSON(&js); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"run": {`, `"availability_interval": {`, `"faulted_availability_interval"`, `"interval": {`, `"inconclusive": true`, `"n": 160`} {
		if !strings.Contains(js.String(), want) {
			t.Errorf("JSON lacks %s", want)
		}
	}
	// A phase without requests has no interval; its text says n=0.
	if s := (Phase{}).samplesText(); s != "n=0" {
		t.Errorf("empty phase: %q", s)
	}
	never := Build(nil, slo.Verdict{Scenario: "never-ran"})
	if never.Metrics.Run != nil || len(phaseRows(never)) != 0 {
		t.Errorf("a run that never ran has whole-run figures: %+v", never.Metrics.Run)
	}
}
