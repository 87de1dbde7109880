package reports

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/llmchaos/llmchaos/harness/slo"
)

// named is a copy of the passing fixture report under another scenario name.
func named(name string) *Report {
	r := *fixtureReports()[0]
	r.Scenario = name
	return &r
}

// TestAReusedOutFolderShowsOnlyTheLastRun: a second run written into the same folder
// replaces the first: ReadDir (what llmchaos report and diff DIR read) returns only what
// summary.json lists, and the first run's report files are gone; a folder without
// summary.json is still read whole.
func TestAReusedOutFolderShowsOnlyTheLastRun(t *testing.T) {
	dir := t.TempDir()
	if _, err := WriteAll(dir, []*Report{named("old-one"), named("old-two")}); err != nil {
		t.Fatal(err)
	}
	foreign := filepath.Join(dir, "notes.json") // not ours: never touched
	if err := os.WriteFile(foreign, []byte(`{"hello": 1}`), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := WriteAll(dir, []*Report{named("new-one")}); err != nil {
		t.Fatal(err)
	}
	reps, err := ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(reps) != 1 || reps[0].Scenario != "new-one" {
		var names []string
		for _, r := range reps {
			names = append(names, r.Scenario)
		}
		t.Fatalf("ReadDir after a second run = %v, want only new-one (summary.json lists only it)", names)
	}
	for _, stale := range []string{"old-one.json", "old-two.json"} {
		if _, err := os.Stat(filepath.Join(dir, stale)); !os.IsNotExist(err) {
			t.Errorf("%s from the first run is still in the folder (%v)", stale, err)
		}
	}
	if _, err := os.Stat(foreign); err != nil {
		t.Errorf("a file llmchaos did not write was removed: %v", err)
	}

	// A report file copied in later, not in the manifest, is not read.
	b, _ := os.ReadFile(filepath.Join(dir, "new-one.json"))
	if err := os.WriteFile(filepath.Join(dir, "copied.json"), []byte(strings.Replace(string(b), `"new-one"`, `"copied"`, 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	if reps, err := ReadDir(dir); err != nil || len(reps) != 1 {
		t.Fatalf("ReadDir with an unlisted report: %d reports, %v", len(reps), err)
	}
	// Without a summary.json, every report in the folder.
	if err := os.Remove(filepath.Join(dir, FileSummary)); err != nil {
		t.Fatal(err)
	}
	if reps, err := ReadDir(dir); err != nil || len(reps) != 2 {
		t.Fatalf("ReadDir without summary.json: %d reports, %v; want both", len(reps), err)
	}
}

// TestAManifestCannotPointOutside: a summary.json (edited, or from elsewhere) listing
// paths outside its folder is refused, and WriteAll never removes what it lists outside.
func TestAManifestCannotPointOutside(t *testing.T) {
	dir := t.TempDir()
	outside := filepath.Join(t.TempDir(), "victim.json")
	if err := os.WriteFile(outside, []byte(`{}`), 0o644); err != nil {
		t.Fatal(err)
	}
	rel, _ := filepath.Rel(dir, outside)
	sum := `{"schema": "` + SchemaSummary + `", "scenarios": [{"scenario": "x", "file": "` + rel + `"}]}`
	if err := os.WriteFile(filepath.Join(dir, FileSummary), []byte(sum), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := ReadDir(dir); err == nil || !strings.Contains(err.Error(), rel) {
		t.Errorf("ReadDir with a manifest pointing outside: %v", err)
	}
	if _, err := WriteAll(dir, []*Report{named("new-one")}); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(outside); err != nil {
		t.Fatalf("WriteAll removed %s, listed by the old manifest outside its folder: %v", outside, err)
	}
}

// TestUnknownSchemaVersionIsRefused: a report of a schema version this build does not
// know is refused, naming the versions it reads.
func TestUnknownSchemaVersionIsRefused(t *testing.T) {
	var b strings.Builder
	if err := named("x").WriteJSON(&b); err != nil {
		t.Fatal(err)
	}
	v99 := strings.Replace(b.String(), SchemaReport, "llmchaos.report/v99", 1)
	_, err := DecodeReport([]byte(v99))
	if err == nil || !strings.Contains(err.Error(), "llmchaos.report/v99") || !strings.Contains(err.Error(), SchemaReport) {
		t.Fatalf("DecodeReport(v99) = %v, want an error naming v99 and the supported %s", err, SchemaReport)
	}
}

// TestDiffMissingScenarioIsARegression: a scenario of BASE that NEW lacks is a regression
// (a CI job that silently stopped running it must not pass); one only in NEW is a note.
func TestDiffMissingScenarioIsARegression(t *testing.T) {
	d := Diff([]*Report{named("a"), named("b")}, []*Report{named("a")}, DefaultThresholds())
	if got := metrics(d, Regression); got != "scenario" || d.Regressions()[0].Scenario != "b" || d.Regressions()[0].New != "absent" {
		t.Fatalf("regressions = %+v, want scenario b absent", d.Regressions())
	}
	if added := Diff([]*Report{named("a")}, []*Report{named("a"), named("c")}, DefaultThresholds()); added.Regressed() || metrics(added, Note) != "scenario" {
		t.Fatalf("an added scenario: %+v", added.Changes)
	}
}

// TestDiffCouldNotRunMakesNoImprovements: a report of a run that could not run (or was
// cut short) has no metrics to compare: against it only the verdict moves, never a fake
// "failback never → 0 ms" improvement or a fake regression.
func TestDiffCouldNotRunMakesNoImprovements(t *testing.T) {
	broken := Build(nil, slo.Verdict{Scenario: "provider-dropout"}, WithRunError(os.ErrNotExist))
	ran := diffFixture(func(r *Report) { r.Metrics.FailbackMS, r.Metrics.FailbackState = nil, StateNever })
	if d := Diff([]*Report{ran}, []*Report{broken}, DefaultThresholds()); metrics(d, Improvement) != "" || metrics(d, Regression) != "verdict" {
		t.Errorf("ran → could not run: improvements %q, regressions %q; want only the verdict", metrics(d, Improvement), metrics(d, Regression))
	}
	good := diffFixture(func(*Report) {})
	if d := Diff([]*Report{broken}, []*Report{good}, DefaultThresholds()); metrics(d, Regression) != "" || metrics(d, Improvement) != "verdict" {
		t.Errorf("could not run → ran: regressions %q, improvements %q; want only the verdict", metrics(d, Regression), metrics(d, Improvement))
	}
	if broken.Metrics.TTFState == StateMeasured || broken.Metrics.FailbackState == StateMeasured {
		t.Errorf("a run that never ran reports ttf %s, failback %s: it measured nothing", broken.Metrics.TTFState, broken.Metrics.FailbackState)
	}
}
