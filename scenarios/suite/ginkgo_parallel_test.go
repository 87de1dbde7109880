package suite_test

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/onsi/ginkgo/v2/types"
)

// TestSpecsUnderGinkgoParallel runs the small suite in internal/ptest with three Ginkgo
// processes (ginkgo -p --procs 3, the CLI built from the pinned module): every spec
// passes, and the specs were spread over more than one process, each with its own app
// and its own harness ports.
func TestSpecsUnderGinkgoParallel(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: skipping the ginkgo -p run of a small suite.Specs suite; make test runs it")
	}
	dir := t.TempDir()
	ginkgo := filepath.Join(dir, "ginkgo")
	build := exec.Command("go", "build", "-o", ginkgo, "github.com/onsi/ginkgo/v2/ginkgo")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("build the ginkgo CLI from the pinned module: %v\n%s", err, out)
	}
	run := exec.Command(ginkgo, "-p", "--procs", "3", "--json-report", "report.json", "--output-dir", dir, "./internal/ptest")
	out, err := run.CombinedOutput()
	if err != nil {
		t.Fatalf("ginkgo -p: %v\n%s", err, out)
	}
	b, err := os.ReadFile(filepath.Join(dir, "report.json"))
	if err != nil {
		t.Fatal(err)
	}
	var reps []types.Report
	if err := json.Unmarshal(b, &reps); err != nil || len(reps) != 1 {
		t.Fatalf("report.json: %d suites, %v", len(reps), err)
	}
	rep := reps[0]
	if rep.SuiteConfig.ParallelTotal != 3 {
		t.Errorf("the suite ran with %d processes, want 3", rep.SuiteConfig.ParallelTotal)
	}
	procs := map[int]int{}
	specs := 0
	for _, s := range rep.SpecReports {
		if s.LeafNodeType != types.NodeTypeIt {
			continue
		}
		specs++
		procs[s.ParallelProcess]++
		if s.State != types.SpecStatePassed {
			t.Errorf("%s: %s on process %d: %s", s.FullText(), s.State, s.ParallelProcess, s.Failure.Message)
		}
	}
	if specs != 4 {
		t.Errorf("%d specs ran, want the 4 files'", specs)
	}
	if len(procs) < 2 {
		t.Errorf("specs per process %v: want them spread over more than one", procs)
	}
	t.Logf("specs per Ginkgo process: %v", procs)
}
