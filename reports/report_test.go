package reports

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/llmchaos/llmchaos/harness"
	"github.com/llmchaos/llmchaos/harness/slo"
)

func TestBuildMapsVerdictAndMetrics(t *testing.T) {
	reps := fixtureReports()
	pass, fail := reps[0], reps[1]
	if pass.Verdict != VerdictPass || fail.Verdict != VerdictFail {
		t.Fatalf("verdicts %q/%q, want pass/fail", pass.Verdict, fail.Verdict)
	}
	if pass.Schema != SchemaReport || pass.Scenario != "provider-dropout" || pass.DurationMS != 20000 || pass.IntervalMS != 50 {
		t.Errorf("header: %+v", pass)
	}
	if pass.Metrics.TTFState != StateMeasured || pass.Metrics.TTFMS == nil || *pass.Metrics.TTFMS != 800 {
		t.Errorf("ttf = %v %v, want measured 800", pass.Metrics.TTFMS, pass.Metrics.TTFState)
	}
	if fail.Metrics.TTFState != StateNever || fail.Metrics.TTFMS != nil {
		t.Errorf("never-settled ttf = %v %v, want null/never", fail.Metrics.TTFMS, fail.Metrics.TTFState)
	}
	if got := len(fail.Breached()); got != 4 {
		t.Errorf("breached %d, want 4", got)
	}
	if len(pass.Phases) != 3 || pass.Phases[1].LatencyMS.P99 != 1120 || pass.Phases[2].ServedBy["secondary"] != 24 {
		t.Errorf("phases: %+v", pass.Phases)
	}
	if len(pass.Series) != 40 || pass.BucketMS != 500 || pass.Series[1].TMS != 500 {
		t.Errorf("series: %d points, bucket %v", len(pass.Series), pass.BucketMS)
	}
	if len(fail.Errors) != 2 || fail.Errors[0].Count != 120 || fail.Errors[1].Outcome != "timeout" || fail.Errors[1].FirstMS != 4150 {
		t.Errorf("errors: %+v", fail.Errors)
	}
	if pass.Upstreams["secondary"] != "anthropic" || len(pass.Events) != 5 || pass.Events[2].TMS != 4002 {
		t.Errorf("upstreams %v, events %+v", pass.Upstreams, pass.Events)
	}
	if tm := pass.Metrics.Telemetry; tm == nil || tm.FaultedP99MS != 430 || !tm.Resumed || tm.ResumedAtMS != 12400 {
		t.Errorf("telemetry = %+v", tm)
	}
	if fail.Metrics.Telemetry != nil {
		t.Error("telemetry must be absent when no collector was faulted")
	}
	if ra := fail.Metrics.RetryAfter; len(ra) != 2 || ra[1].WaitedMS != 11 || ra[1].AskedMS != 2000 || ra[0].ID != "req-000090" {
		t.Errorf("retry-after violations = %+v", ra)
	}
	if f := fail.Faults[0]; f.Samples != 160 || f.Failures != 160 || pass.Phases[0].LatencyMS.P95 != 400 {
		t.Errorf("fault %+v, p95 %v", f, pass.Phases[0].LatencyMS.P95)
	}
	a, phase, ok := fail.FaultAvailability()
	if !ok || a != 0 || phase != "outage" {
		t.Errorf("FaultAvailability = %v %q %v, want 0 outage", a, phase, ok)
	}
	b, _ := json.Marshal(fail.Metrics)
	if !strings.Contains(string(b), `"ttf_ms":null,"ttf_state":"never"`) {
		t.Errorf("never is not encoded as null + state: %s", b)
	}
	if !strings.Contains(string(b), `"failback_ms":300,"failback_state":"measured"`) {
		t.Errorf("failback encoding: %s", b)
	}
}

func TestBuildInterruptedEmptyAndNaN(t *testing.T) {
	res := &harness.Result{Scenario: "cut", Start: fixtureStart, End: fixtureStart.Add(time.Second), Interrupted: true,
		SUTLog: []string{"1", "2", "3", "4"}}
	v := slo.Verdict{Pass: true, Metrics: slo.Metrics{
		TTF: slo.Measure{None: true}, Failback: slo.Measure{None: true}, Amplification: math.NaN(),
		Phases: []slo.PhaseMetrics{{Name: "steady", Availability: math.NaN(), Amplification: math.Inf(1)}},
		Series: []slo.Point{{T: 0}},
	}}
	r := Build(res, v, WithLogTail(2))
	if r.Verdict != VerdictFail || !r.Interrupted {
		t.Errorf("an interrupted run must fail: verdict %q interrupted %v", r.Verdict, r.Interrupted)
	}
	if strings.Join(r.SUTLog, ",") != "3,4" {
		t.Errorf("log tail = %v, want the last 2 lines", r.SUTLog)
	}
	var buf bytes.Buffer
	if err := r.WriteJSON(&buf); err != nil {
		t.Fatalf("NaN/Inf must encode (as null): %v", err)
	}
	for _, want := range []string{`"amplification": null`, `"availability": null`, `"success_rate": null`, `"ttf_state": "none"`} {
		if !strings.Contains(buf.String(), want) {
			t.Errorf("JSON lacks %s:\n%s", want, buf.String())
		}
	}
	if _, _, ok := r.FaultAvailability(); ok {
		t.Error("FaultAvailability over NaN phases must report !ok")
	}
	for _, rd := range []Renderer{JSON{}, Markdown{}, HTML{}, JUnit{}} {
		if err := rd.Render(&bytes.Buffer{}, []*Report{r}, nil); err != nil {
			t.Errorf("%T on an empty run: %v", rd, err)
		}
	}
	if nilRep := Build(nil, slo.Verdict{Scenario: "v-only", Pass: false}); nilRep.Scenario != "v-only" || nilRep.Verdict != VerdictFail {
		t.Errorf("Build(nil) = %+v", nilRep)
	}
}

func TestWriteAllReadBack(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "out", "nested")
	reps := fixtureReports()
	if _, err := WriteAll(dir, reps, WithGeneratedAt(fixtureGenerated)); err != nil {
		t.Fatal(err)
	}
	got, err := ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].Scenario != "naive-client" || got[1].Scenario != "provider-dropout" {
		t.Fatalf("ReadDir = %d reports, want both sorted by name", len(got))
	}
	for i, want := range []*Report{reps[1], reps[0]} {
		var a, b bytes.Buffer
		_ = want.WriteJSON(&a)
		_ = got[i].WriteJSON(&b)
		if a.String() != b.String() {
			t.Errorf("%s does not survive a round trip:\n%s", want.Scenario, firstDiff(a.Bytes(), b.Bytes()))
		}
	}
	var sum Summary
	b, _ := os.ReadFile(filepath.Join(dir, FileSummary))
	if err := json.Unmarshal(b, &sum); err != nil {
		t.Fatal(err)
	}
	if sum.Schema != SchemaSummary || !sum.GeneratedAt.Equal(fixtureGenerated) || sum.Totals != (Totals{Scenarios: 2, Passed: 1, Failed: 1, SLOs: 10, Breached: 4}) {
		t.Errorf("summary = %+v", sum)
	}
	if sum.Scenarios[1].File != "naive-client.json" || len(sum.Scenarios[1].Breached) != 4 || sum.Scenarios[1].Breached[0] != "ttf <= 2s" {
		t.Errorf("summary entry = %+v", sum.Scenarios[1])
	}
	if _, err := ReadReport(filepath.Join(dir, FileSummary)); err == nil || !strings.Contains(err.Error(), "schema") {
		t.Errorf("ReadReport(summary.json) = %v, want a schema error", err)
	}
	if _, err := ReadDir(t.TempDir()); err == nil {
		t.Error("ReadDir on an empty directory must fail")
	}
	loaded, err := Load(dir, filepath.Join(dir, "naive-client.json"))
	if err != nil || len(loaded) != 3 {
		t.Errorf("Load(dir, file) = %d, %v; want 3 reports", len(loaded), err)
	}
}

func TestFileNamesAreSafeAndUnique(t *testing.T) {
	reps := []*Report{{Scenario: "a/b c"}, {Scenario: "a/b c"}, {Scenario: "../../etc"}, {Scenario: "summary"}, {Scenario: ""}}
	got := strings.Join(FileNames(reps), " ")
	if want := "a-b-c.json a-b-c-2.json etc.json summary-2.json scenario.json"; got != want {
		t.Errorf("FileNames = %q, want %q", got, want)
	}
}

func TestRendererFor(t *testing.T) {
	for _, f := range []string{"json", "markdown", "md", "HTML", "junit"} {
		if _, err := RendererFor(f); err != nil {
			t.Errorf("RendererFor(%q): %v", f, err)
		}
	}
	if _, err := RendererFor("pdf"); err == nil || !strings.Contains(err.Error(), "junit") {
		t.Errorf("RendererFor(pdf) = %v, want an error listing the formats", err)
	}
}

// TestUnmeasuredNamesRealServices: a tcp or http upstream gets a sentence saying what is
// not measured for it, in the JSON and the Markdown; mocks get none.
func TestUnmeasuredNamesRealServices(t *testing.T) {
	got := unmeasured(map[string]harness.UpstreamKind{"primary": harness.KindOpenAI, "cache": harness.KindTCP, "api": harness.KindHTTP})
	if len(got) != 2 || !strings.HasPrefix(got[0], "api (http) is a real service") || !strings.HasPrefix(got[1], "cache (tcp) is a real service") {
		t.Errorf("unmeasured = %q", got)
	}
	if got := unmeasured(map[string]harness.UpstreamKind{"primary": harness.KindOpenAI}); got != nil {
		t.Errorf("mocks only: %q, want nil", got)
	}
	var b strings.Builder
	r := &Report{Scenario: "x", Unmeasured: []string{"cache (tcp) is a real service: no journal"}}
	p := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }
	mdScenarioHeader(p, r)
	if !strings.Contains(b.String(), "Not measured: cache (tcp) is a real service") {
		t.Errorf("the Markdown does not say what is not measured:\n%s", b.String())
	}
}
