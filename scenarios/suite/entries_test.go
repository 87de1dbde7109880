package suite_test

import (
	"encoding/json"
	"encoding/xml"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/llmchaos/llmchaos/harness/slo"
	"github.com/llmchaos/llmchaos/harness/slo/slotest"
	"github.com/llmchaos/llmchaos/scenarios/suite"
)

// specReport is the part of a `ginkgo --json-report` spec report this test reads.
type specReport struct {
	LeafNodeText  string
	State         string
	ReportEntries []struct {
		Name  string
		Value struct{ AsJSON string }
	}
}

// TestReportEntries runs testdata/entrysuite (suite.Specs over a one-file folder, and
// the slo matchers on a simulated run) with --json-report and --junit-report, and reads
// both: one entry per SLO with its expression, observed value and verdict (a breached
// one too), and the report files suite.Specs wrote.
func TestReportEntries(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: skipping the Ginkgo suite run with --json-report (it builds and runs a scenario); make test runs it")
	}
	dir := t.TempDir()
	jsonPath, junitPath := filepath.Join(dir, "report.json"), filepath.Join(dir, "junit.xml")
	// -race: the same flags as make test's go test, so the packages it compiled are reused
	// (only the suite is built here, not a second copy of everything).
	cmd := exec.Command("go", "test", "-race", "-count=1", "./testdata/entrysuite",
		"-ginkgo.json-report="+jsonPath, "-ginkgo.junit-report="+junitPath)
	cmd.Env = append(os.Environ(), "ENTRYSUITE_REPORTS="+filepath.Join(dir, "reports"))
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go test ./testdata/entrysuite: %v\n%s", err, out)
	}
	var suites []struct{ SpecReports []specReport }
	if err := json.Unmarshal([]byte(readFile(t, jsonPath)), &suites); err != nil || len(suites) != 1 {
		t.Fatalf("the JSON report: %v (%d suites)", err, len(suites))
	}
	entries := map[string]map[string]string{} // spec → entry name → JSON value
	for _, s := range suites[0].SpecReports {
		if s.LeafNodeText == "" {
			continue // suite nodes
		}
		if s.State != "passed" {
			t.Errorf("spec %q: %s", s.LeafNodeText, s.State)
		}
		entries[s.LeafNodeText] = map[string]string{}
		for _, e := range s.ReportEntries {
			entries[s.LeafNodeText][e.Name] = e.Value.AsJSON
		}
	}
	ttf := simulatedTTF(t)
	wantSLO(t, entries["judges a simulated failover with the matchers"], slo.ReportEntry{Expr: "ttf <= 1s", Observed: ttf, Pass: true})
	wantSLO(t, entries["judges a simulated failover with the matchers"], slo.ReportEntry{Expr: "ttf <= 100ms", Observed: ttf, Pass: false})
	wantSLO(t, entries["against its sut"], slo.ReportEntry{Expr: "availability(steady) >= 0", Observed: "0 (0/20)", Pass: true})
	if n := len(entries["judges a simulated failover with the matchers"]); n != 3 {
		t.Errorf("the matcher spec has %d entries, want 3 (one per SLO, ttf <= 1s once though two matchers checked it)", n)
	}

	var paths suite.ReportPaths
	if err := json.Unmarshal([]byte(entries["against its sut"][suite.ReportsEntry]), &paths); err != nil || len(paths.Paths) == 0 {
		t.Fatalf("no %q entry with the report files: %v", suite.ReportsEntry, err)
	}
	for _, p := range paths.Paths {
		if _, err := os.Stat(p); err != nil {
			t.Errorf("the entry names %s: %v", p, err)
		}
	}

	// JUnit: each entry is a property of its test case.
	var junit struct {
		Cases []struct {
			Name  string `xml:"name,attr"`
			Props []struct {
				Name  string `xml:"name,attr"`
				Value string `xml:"value,attr"`
			} `xml:"properties>property"`
		} `xml:"testsuite>testcase"`
	}
	if err := xml.Unmarshal([]byte(readFile(t, junitPath)), &junit); err != nil {
		t.Fatal(err)
	}
	found := false
	for _, c := range junit.Cases {
		for _, p := range c.Props {
			if p.Name == "slo: ttf <= 100ms" && strings.Contains(p.Value, `"pass":false`) {
				found = true
			}
		}
	}
	if !found {
		t.Errorf("the JUnit report has no property for the breached SLO ttf <= 100ms")
	}
}

// simulatedTTF is the ttf slo observes in entrysuite's simulated run (the same SimSpec):
// the failover delay, 200ms, plus the first token of the first success after it.
func simulatedTTF(t *testing.T) string {
	t.Helper()
	res := slotest.Simulate(slotest.SimSpec{
		Scenario: "simulated",
		Phases: []slotest.Phase{
			{Name: "steady", Duration: time.Second},
			{Name: "outage", Duration: 2 * time.Second, Faults: []slotest.Fault{{Upstream: slotest.Primary}}},
		},
		App: slotest.App{FailoverDelay: 200 * time.Millisecond},
	})
	v, err := slo.EvaluateStrings(res, []string{"ttf <= 1s"})
	if err != nil || len(v.Checks) != 1 {
		t.Fatalf("evaluating the simulated run: %v (%d checks)", err, len(v.Checks))
	}
	return v.Checks[0].Observed
}

// wantSLO checks entries holds e under its name, with e's values.
func wantSLO(t *testing.T, entries map[string]string, e slo.ReportEntry) {
	t.Helper()
	raw, ok := entries[slo.ReportEntryPrefix+e.Expr]
	if !ok {
		t.Errorf("no report entry for %q (entries: %v)", e.Expr, entries)
		return
	}
	var got slo.ReportEntry
	if err := json.Unmarshal([]byte(raw), &got); err != nil || got != e {
		t.Errorf("entry for %q is %s, want %+v (%v)", e.Expr, raw, e, err)
	}
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
