package reports

import (
	"bytes"
	"encoding/json"
	"math"
	"strings"
	"testing"
)

// runReport is one run's report with the given SLO rows; its verdict follows them.
func runReport(slos ...SLO) *Report {
	r := &Report{Schema: SchemaReport, Scenario: "repeat", Verdict: VerdictPass, SLOs: slos}
	for _, s := range slos {
		if !s.Pass {
			r.Verdict = VerdictFail
		}
	}
	return r
}

func ttfRow(v float64, pass bool) SLO {
	return SLO{Expr: "ttf <= 2s", Observed: fmtMS(v * 1000), Value: Float(v), Pass: pass}
}

func ttfNever() SLO { return SLO{Expr: "ttf <= 2s", Observed: "never", Value: nan(), Never: true} }

func availRow(v float64, pass bool) SLO {
	return SLO{Expr: "availability(outage) >= 0.95", Observed: strings.TrimRight(strings.TrimRight(fmtFloat(v), "0"), "."), Value: Float(v), Pass: pass}
}

func fmtFloat(v float64) string { b, _ := Float(v).MarshalJSON(); return string(b) }

func failbackNA() SLO {
	return SLO{Expr: "failback <= 3s", Observed: "n/a (never failed over)", Value: 0, Pass: true, Reason: "never left the primary"}
}

// fiveRuns: ttf holds in runs 1, 2, 4 (flaky, majority holds), never in run 3, 2.4 s in
// run 5; availability holds in every run; failback is n/a in every run.
func fiveRuns() []*Report {
	return []*Report{
		runReport(ttfRow(0.5, true), availRow(0.99, true), failbackNA()),
		runReport(ttfRow(0.4, true), availRow(0.98, true), failbackNA()),
		runReport(ttfNever(), availRow(0.97, true), failbackNA()),
		runReport(ttfRow(0.9, true), availRow(1, true), failbackNA()),
		runReport(ttfRow(2.4, false), availRow(0.96, true), failbackNA()),
	}
}

func TestRepeatedJudgesEachSLOOverTheRuns(t *testing.T) {
	runs := fiveRuns()
	before, _ := json.Marshal(runs)
	r := Repeated(runs, false)
	if after, _ := json.Marshal(runs); !bytes.Equal(before, after) {
		t.Fatal("Repeated changed the runs' reports")
	}
	rp := r.Repeats
	if rp == nil || rp.Runs != 5 || rp.Strict || strings.Join(rp.Verdicts, ",") != "pass,pass,fail,pass,fail" {
		t.Fatalf("repeats %+v", rp)
	}
	ttf, avail, fb := rp.SLOs[0], rp.SLOs[1], rp.SLOs[2]
	// ttf: held 3 of 5, flaky, the majority holds; never is the largest; the median is
	// the nearest-rank one (the 3rd of 0.4, 0.5, 0.9, 2.4, never).
	if ttf.Held != 3 || ttf.Runs != 5 || !ttf.Flaky || !ttf.Pass || ttf.Never != 1 {
		t.Errorf("ttf %+v: want held 3/5, flaky, pass, 1 never", ttf)
	}
	if ttf.Min != 0.4 || ttf.Median != 0.9 || ttf.Max.Valid() || ttf.MaxObserved != "never" || ttf.MinObserved != "400ms" {
		t.Errorf("ttf spread %v (%s) / %v (%s) / %v (%s), want 0.4 / 0.9 / never", ttf.Min, ttf.MinObserved,
			ttf.Median, ttf.MedianObserved, ttf.Max, ttf.MaxObserved)
	}
	if avail.Held != 5 || avail.Flaky || !avail.Pass || avail.Min != 0.96 || avail.Median != 0.98 || avail.Max != 1 {
		t.Errorf("availability %+v: want held 5/5, not flaky, 0.96 / 0.98 / 1", avail)
	}
	// failback n/a in every run: held (n/a passes), nothing measured, no spread.
	if fb.Held != 5 || fb.NotMeasured != 5 || fb.MinObserved != "" || !math.IsNaN(float64(fb.Median)) {
		t.Errorf("failback %+v: want held 5/5, not measured, no spread", fb)
	}
	// The verdict over the runs passes; the shown run is the first whose verdicts agree
	// with it (run 1), so its figures are the report's.
	if r.Verdict != VerdictPass || rp.ShownRun != 1 || r.SLOs[0].Observed != "500ms" {
		t.Errorf("verdict %s, shown run %d, ttf observed %q: want pass, run 1, 500ms", r.Verdict, rp.ShownRun, r.SLOs[0].Observed)
	}
	// The flaky SLO's reason says so; the steady one gets no note.
	if !strings.Contains(r.SLOs[0].Reason, "flaky: held in 3 of 5 runs (majority of 5 runs); observed min / median / max 400ms / 900ms / never; run 1 shown") {
		t.Errorf("ttf reason %q", r.SLOs[0].Reason)
	}
	if r.SLOs[1].Reason != "" || r.SLOs[2].Reason != "never left the primary" {
		t.Errorf("reasons of steady SLOs changed: %q, %q", r.SLOs[1].Reason, r.SLOs[2].Reason)
	}
	if f := r.Flaky(); len(f) != 1 || f[0].Expr != "ttf <= 2s" {
		t.Errorf("Flaky() = %+v", f)
	}
}

func TestRepeatedStrictFailsAFlakySLO(t *testing.T) {
	r := Repeated(fiveRuns(), true)
	if r.Verdict != VerdictFail || r.SLOs[0].Pass || !r.SLOs[1].Pass || !r.Repeats.Strict {
		t.Fatalf("strict: verdict %s, ttf pass %v, availability pass %v: want fail, false, true", r.Verdict, r.SLOs[0].Pass, r.SLOs[1].Pass)
	}
	if b := r.Breached(); len(b) != 1 || b[0].Expr != "ttf <= 2s" {
		t.Errorf("breached %+v, want ttf only", b)
	}
	if !strings.Contains(r.SLOs[0].Reason, "strict: every one of 5 runs") {
		t.Errorf("ttf reason %q does not say the runs were judged strictly", r.SLOs[0].Reason)
	}
}

func TestRepeatedMajorityAndTies(t *testing.T) {
	// Held in 2 of 5: the majority breached it; the shown run is one that breached it.
	runs := []*Report{
		runReport(ttfRow(3, false)), runReport(ttfRow(1, true)), runReport(ttfRow(3.1, false)),
		runReport(ttfRow(1.2, true)), runReport(ttfRow(2.5, false)),
	}
	r := Repeated(runs, false)
	if r.Verdict != VerdictFail || r.SLOs[0].Pass || r.Repeats.ShownRun != 1 || !r.Repeats.SLOs[0].Flaky {
		t.Errorf("held 2/5: verdict %s, pass %v, shown %d: want fail, false, run 1, flaky", r.Verdict, r.SLOs[0].Pass, r.Repeats.ShownRun)
	}
	// A tie (2 of 4) fails.
	r = Repeated(runs[:4], false)
	if r.Verdict != VerdictFail || r.Repeats.SLOs[0].Held != 2 || r.Repeats.SLOs[0].Runs != 4 {
		t.Errorf("held 2/4: verdict %s, %+v: want fail", r.Verdict, r.Repeats.SLOs[0])
	}
	// Every run held it: pass, not flaky, no note, strict or not.
	steady := []*Report{runReport(ttfRow(1, true)), runReport(ttfRow(1.5, true))}
	for _, strict := range []bool{false, true} {
		r = Repeated(steady, strict)
		if r.Verdict != VerdictPass || r.Repeats.SLOs[0].Flaky || r.SLOs[0].Reason != "" || len(r.Flaky()) != 0 {
			t.Errorf("strict %v, held 2/2: verdict %s, %+v, reason %q", strict, r.Verdict, r.Repeats.SLOs[0], r.SLOs[0].Reason)
		}
	}
}

func TestRepeatedRunThatCouldNotRun(t *testing.T) {
	broken := &Report{Schema: SchemaReport, Scenario: "repeat", Verdict: VerdictFail, SLOs: []SLO{},
		RunError: "harness could not run (sut): the app exited", SUTLog: []string{"boom"}}
	runs := []*Report{runReport(ttfRow(0.5, true)), broken, runReport(ttfRow(0.6, true))}
	r := Repeated(runs, false)
	if r.Verdict != VerdictFail || r.Repeats.ShownRun != 2 || r.RunError == "" || r.SUTLog[0] != "boom" {
		t.Errorf("verdict %s, shown run %d, run error %q: want fail, the run that could not run shown", r.Verdict, r.Repeats.ShownRun, r.RunError)
	}
	if v := strings.Join(r.Repeats.Verdicts, ","); v != "pass,error,pass" {
		t.Errorf("verdicts %s", v)
	}
	if s := r.Repeats.SLOs; len(s) != 1 || s[0].Runs != 2 || s[0].Held != 2 || !s[0].Pass {
		t.Errorf("SLOs %+v: want ttf judged by the 2 runs that ran, held in both", s)
	}
}

func TestRepeatedOneRunIsThatRun(t *testing.T) {
	one := runReport(ttfRow(0.5, true))
	if r := Repeated([]*Report{one}, true); r != one || r.Repeats != nil {
		t.Errorf("one run: got %p with repeats %v, want the run's own report", r, r.Repeats)
	}
	if Repeated(nil, false) != nil {
		t.Error("no run: want nil")
	}
}

// TestRepeatedRendering: the JSON carries the repeats object, the Markdown and HTML show
// the runs table and the flaky SLO, the summary lists it, JUnit says how many runs held
// a breached SLO.
func TestRepeatedRendering(t *testing.T) {
	// Strict: ttf fails, so the shown run is the first that breached it (run 3, never).
	r := Repeated(fiveRuns(), true)
	var js bytes.Buffer
	if err := r.WriteJSON(&js); err != nil {
		t.Fatal(err)
	}
	back, err := DecodeReport(js.Bytes())
	if err != nil || back.Repeats == nil || back.Repeats.SLOs[0].Held != 3 || back.Repeats.SLOs[0].Max.Valid() {
		t.Fatalf("JSON round trip: %v, %+v", err, back.Repeats)
	}
	for _, want := range []string{`"repeats": {`, `"runs": 5`, `"shown_run": 3`, `"strict": true`, `"flaky": true`, `"max": null`, `"max_observed": "never"`} {
		if !strings.Contains(js.String(), want) {
			t.Errorf("JSON lacks %s", want)
		}
	}
	render := func(rd Renderer) string {
		var b bytes.Buffer
		if err := rd.Render(&b, []*Report{r}, nil); err != nil {
			t.Fatal(err)
		}
		return b.String()
	}
	md := render(Markdown{})
	for _, want := range []string{"**5 runs** (strict: every one of 5 runs decides each SLO): 3 of 5 passed", "### Runs",
		"| ❌ | ttf &lt;= 2s | 3/5 | 400ms / 900ms / never | yes | 0 |", "ttf &lt;= 2s (held 3/5 (flaky))", "the figures below are run 3's"} {
		if !strings.Contains(md, want) {
			t.Errorf("Markdown lacks %q:\n%s", want, md)
		}
	}
	html := render(HTML{})
	for _, want := range []string{"<h3>Runs</h3>", "<strong>5 runs</strong>", "400ms / 900ms / never", `<strong class="reason">flaky</strong>`} {
		if !strings.Contains(html, want) {
			t.Errorf("HTML lacks %q", want)
		}
	}
	if j := render(JUnit{}); !strings.Contains(j, "runs: held 3/5 (flaky) (strict: every one of 5 runs decides; run 3 shown)") {
		t.Errorf("JUnit does not say how many runs held the breached SLO:\n%s", j)
	}
	sum := NewSummary([]*Report{r}, fixtureGenerated)
	if e := sum.Scenarios[0]; e.Runs != 5 || len(e.Flaky) != 1 || e.Flaky[0] != "ttf <= 2s" || len(e.Breached) != 1 {
		t.Errorf("summary entry %+v", e)
	}
}
