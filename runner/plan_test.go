package runner

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/llmchaos/llmchaos/harness"
	"github.com/llmchaos/llmchaos/reports"
	"github.com/llmchaos/llmchaos/scenarios"
)

// flipApp answers 200, or 500 while failing is set: the test flips it between runs.
type flipApp struct{ failing atomic.Bool }

func (a *flipApp) ServeHTTP(w http.ResponseWriter, _ *http.Request) {
	if a.failing.Load() {
		http.Error(w, "failing on purpose", http.StatusInternalServerError)
		return
	}
	_, _ = w.Write([]byte("ok"))
}

// TestRunFilesRepeatsAndJudges runs one file three times against an app that fails only
// in the second run: the SLO is flaky, held by the majority (pass) and failed strictly.
func TestRunFilesRepeatsAndJudges(t *testing.T) {
	for _, strict := range []bool{false, true} {
		app := &flipApp{}
		var seen []string
		hook := WithOnOutcome(func(o *Outcome) {
			seen = append(seen, o.File.Scenario.Name+" "+string(o.Report.Verdict))
			if o.Run != len(seen) || o.Runs != 3 || o.Result == nil {
				t.Errorf("hook call %d: run %d of %d, result %v", len(seen), o.Run, o.Runs, o.Result != nil)
			}
			app.failing.Store(o.Run == 1) // run 2 fails, runs 1 and 3 pass
		})
		done, err := RunFiles(context.Background(), []*scenarios.File{runnerTestFile(harness.SUTSpec{Handler: app}, false)},
			Plan{Repeat: 3, Strict: strict}, hook)
		if err != nil {
			t.Fatal(err)
		}
		if len(done) != 1 || len(done[0].Runs) != 3 || strings.Join(seen, ",") != "runner-test pass,runner-test fail,runner-test pass" {
			t.Fatalf("strict %v: %d files, hook saw %q", strict, len(done), seen)
		}
		fr := done[0]
		rp := fr.Report.Repeats
		if rp == nil || rp.Runs != 3 || len(rp.SLOs) != 1 || rp.SLOs[0].Held != 2 || !rp.SLOs[0].Flaky || fr.Err() != nil {
			t.Fatalf("strict %v: repeats %+v, err %v", strict, rp, fr.Err())
		}
		want := reports.VerdictPass
		if strict {
			want = reports.VerdictFail
		}
		if fr.Report.Verdict != want || fr.Report.SLOs[0].Pass != !strict || !fr.Shown().Ran {
			t.Errorf("strict %v: verdict %s, slo pass %v: want %s", strict, fr.Report.Verdict, fr.Report.SLOs[0].Pass, want)
		}
	}
}

// TestRunFilesOnceIsExecute: the zero plan runs each file once, in order, and the file's
// report is that run's (no repeats object).
func TestRunFilesOnceIsExecute(t *testing.T) {
	ok := http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write([]byte("ok")) })
	a, b := runnerTestFile(harness.SUTSpec{Handler: ok}, false), runnerTestFile(harness.SUTSpec{Handler: ok}, false)
	b.Scenario.Name = "runner-test-b"
	done, err := RunFiles(context.Background(), []*scenarios.File{a, b}, Plan{})
	if err != nil {
		t.Fatal(err)
	}
	if len(done) != 2 || done[0].File != a || done[1].File != b || done[1].Report.Scenario != "runner-test-b" {
		t.Fatalf("files out of order or missing: %d", len(done))
	}
	for _, fr := range done {
		if len(fr.Runs) != 1 || fr.Report != fr.Runs[0].Report || fr.Report.Repeats != nil || !fr.Report.Passed() {
			t.Errorf("%s: %d runs, report %+v", fr.File.Scenario.Name, len(fr.Runs), fr.Report)
		}
	}
}

func TestRunFilesRefusesABadPlan(t *testing.T) {
	for _, p := range []Plan{{Repeat: -1}, {Repeat: MaxRepeat + 1}, {Parallel: -1}, {Parallel: MaxParallel + 1}} {
		done, err := RunFiles(context.Background(), []*scenarios.File{runnerTestFile(harness.SUTSpec{}, false)}, p)
		if err == nil || done != nil || !strings.Contains(err.Error(), "runner.Max") {
			t.Errorf("plan %+v: err %v, %d files: want an error naming the limit and nothing run", p, err, len(done))
		}
	}
}

// TestRunFilesStopsWhenCancelled: after ctx ends no run starts; the runs made are kept.
func TestRunFilesStopsWhenCancelled(t *testing.T) {
	ok := http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write([]byte("ok")) })
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	files := []*scenarios.File{runnerTestFile(harness.SUTSpec{Handler: ok}, false), runnerTestFile(harness.SUTSpec{Handler: ok}, false)}
	done, err := RunFiles(ctx, files, Plan{Repeat: 3}, WithOnOutcome(func(o *Outcome) {
		if o.Run == 2 {
			cancel()
		}
	}))
	if err != nil {
		t.Fatal(err)
	}
	if len(done) != 1 || len(done[0].Runs) != 2 || done[0].Report.Repeats.Runs != 2 {
		t.Fatalf("got %d files, first with %d runs: want 1 file with the 2 runs made", len(done), len(done[0].Runs))
	}
	// The negative control of the flaky test: an app that never fails is not flaky.
	if s := done[0].Report.Repeats.SLOs[0]; s.Flaky || s.Held != 2 || !done[0].Report.Passed() {
		t.Errorf("steady app: %+v, verdict %s: want held 2/2, not flaky, pass", s, done[0].Report.Verdict)
	}
}

// parallelTestFiles are n small files named runner-par-0..n-1; the first runs 900 ms, the
// others 300 ms, so with runs at once the first ends last.
func parallelTestFiles(n int) []*scenarios.File {
	ok := http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write([]byte("ok")) })
	var files []*scenarios.File
	for i := range n {
		f := runnerTestFile(harness.SUTSpec{Handler: ok}, false)
		f.Scenario.Name = fmt.Sprintf("runner-par-%d", i)
		if i == 0 {
			f.Scenario.Timeline.Phases[0].Duration = 900 * time.Millisecond
		}
		files = append(files, f)
	}
	return files
}

// TestRunFilesParallel: at most Parallel runs at once, and that many reached; results in
// the order of the files although the first file ended last; each report records the
// parallelism. The negative control is the same files one at a time.
func TestRunFilesParallel(t *testing.T) {
	for _, par := range []int{1, 3} {
		files := parallelTestFiles(5)
		var mu sync.Mutex
		running := map[string]bool{}
		most := 0
		var ended []string
		done, err := RunFiles(context.Background(), files, Plan{Parallel: par},
			WithOnProgress(func(f *scenarios.File, run int, p harness.Progress) {
				mu.Lock()
				defer mu.Unlock()
				if p.Scenario != f.Scenario.Name || run != 1 {
					t.Errorf("progress of %s run %d says scenario %q", f.Scenario.Name, run, p.Scenario)
				}
				running[f.Scenario.Name] = true
				most = max(most, len(running))
			}),
			WithOnOutcome(func(o *Outcome) {
				mu.Lock()
				defer mu.Unlock()
				delete(running, o.File.Scenario.Name)
				ended = append(ended, o.File.Scenario.Name)
			}))
		if err != nil {
			t.Fatal(err)
		}
		if len(done) != len(files) {
			t.Fatalf("parallel %d: %d files done, want %d", par, len(done), len(files))
		}
		for i, fr := range done {
			if fr.File != files[i] || fr.Report.Scenario != files[i].Scenario.Name || !fr.Report.Passed() || fr.Err() != nil {
				t.Errorf("parallel %d: result %d is %s (%s, %v): want %s passed, in the files' order", par, i, fr.Report.Scenario, fr.Report.Verdict, fr.Err(), files[i].Scenario.Name)
			}
			if want := map[int]int{1: 0, 3: 3}[par]; fr.Report.Parallel != want {
				t.Errorf("parallel %d: report records parallel %d, want %d", par, fr.Report.Parallel, want)
			}
		}
		if most != par {
			t.Errorf("parallel %d: at most %d runs were running at once, want %d", par, most, par)
		}
		if first := ended[0] == "runner-par-0"; first != (par == 1) {
			t.Errorf("parallel %d: runs ended in the order %v", par, ended)
		}
	}
}

// TestRunFilesParallelRepeats: parallel × repeat makes every run once, each file's runs
// judged together in run order.
func TestRunFilesParallelRepeats(t *testing.T) {
	files := parallelTestFiles(2)
	var mu sync.Mutex
	seen := map[string]int{}
	done, err := RunFiles(context.Background(), files, Plan{Parallel: 4, Repeat: 3}, WithOnOutcome(func(o *Outcome) {
		mu.Lock()
		seen[fmt.Sprintf("%s/%d/%d", o.File.Scenario.Name, o.Run, o.Runs)]++
		mu.Unlock()
	}))
	if err != nil {
		t.Fatal(err)
	}
	if len(seen) != 6 {
		t.Fatalf("runs made: %v; want each of 2 files × 3 runs once", seen)
	}
	for _, n := range seen {
		if n != 1 {
			t.Fatalf("runs made: %v; want each once", seen)
		}
	}
	for i, fr := range done {
		if fr.File != files[i] || len(fr.Runs) != 3 || fr.Report.Repeats == nil || fr.Report.Repeats.Runs != 3 || fr.Report.Parallel != 4 {
			t.Errorf("file %d: %s with %d runs, repeats %+v, parallel %d", i, fr.File.Scenario.Name, len(fr.Runs), fr.Report.Repeats, fr.Report.Parallel)
		}
	}
}

// TestRunFilesStartsLongestFirst: with runs at once the longest file starts first even
// when it is last in the set (so it does not run alone at the end), and the results keep
// the files' order. The negative control: one at a time keeps the files' order.
func TestRunFilesStartsLongestFirst(t *testing.T) {
	files := parallelTestFiles(4)
	slices.Reverse(files) // the 900 ms file last
	for _, c := range []struct {
		parallel  int
		wantFirst string
	}{{2, "runner-par-0"}, {1, "runner-par-3"}} {
		var mu sync.Mutex
		var started []string
		done, err := RunFiles(context.Background(), files, Plan{Parallel: c.parallel},
			WithOnProgress(func(f *scenarios.File, _ int, _ harness.Progress) {
				mu.Lock()
				defer mu.Unlock()
				if !slices.Contains(started, f.Scenario.Name) {
					started = append(started, f.Scenario.Name)
				}
			}))
		if err != nil {
			t.Fatal(err)
		}
		if c.parallel > 1 && !slices.Contains(started[:c.parallel], c.wantFirst) || c.parallel == 1 && started[0] != c.wantFirst {
			t.Errorf("parallel %d: runs started in the order %v, want %s among the first %d", c.parallel, started, c.wantFirst, c.parallel)
		}
		for i, fr := range done {
			if fr.File != files[i] {
				t.Errorf("parallel %d: result %d is %s, want %s (the files' order)", c.parallel, i, fr.File.Scenario.Name, files[i].Scenario.Name)
			}
		}
	}
}

func TestStartOrder(t *testing.T) {
	files := parallelTestFiles(3)
	slices.Reverse(files) // the longest last
	for _, c := range []struct {
		runs, parallel int
		want           []job
	}{
		{1, 4, []job{{2, 0}, {0, 0}, {1, 0}}},                         // the longest, then the files' order
		{2, 4, []job{{2, 0}, {0, 0}, {1, 0}, {2, 1}, {0, 1}, {1, 1}}}, // in rounds: repeats not side by side
		{2, 1, []job{{0, 0}, {0, 1}, {1, 0}, {1, 1}, {2, 0}, {2, 1}}}, // one at a time: the files' order
	} {
		if got := startOrder(files, c.runs, c.parallel); !slices.Equal(got, c.want) {
			t.Errorf("%d runs, %d at once: start order %v, want %v", c.runs, c.parallel, got, c.want)
		}
	}
}
