package scenarios_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"text/tabwriter"
	"time"

	"github.com/llmchaos/llmchaos/harness"
	"github.com/llmchaos/llmchaos/harness/slo"
	"github.com/llmchaos/llmchaos/runner"
	"github.com/llmchaos/llmchaos/scenarios"
)

// stabilityEnv asks TestStability for its number of runs per scenario × app pair
// (make stability sets it to 5).
const stabilityEnv = "LLMCHAOS_STABILITY_REPEAT"

// TestStability runs the catalog against both reference apps with runner.RunFiles and a
// Plan of LLMCHAOS_STABILITY_REPEAT runs per file, at the catalog's parallelism (the apps
// side by side, each with half of catalogParallel() runs at once: the load make test's
// catalog puts on the machine), and fails on any flip of any scenario × app pair: a run whose verdict is not
// the one the file's expect block states (the gateway passes; the naive app fails, with
// the SLOs it lists breached), a run that could not run, or, on a pair expected to pass,
// an SLO whose verdict changed across the runs (flaky). It prints the table make stability records in BENCHMARKS.md.
// Without the variable it is skipped: make test runs the catalog once (TestCatalog).
func TestStability(t *testing.T) {
	n, err := strconv.Atoi(os.Getenv(stabilityEnv))
	if err != nil || n < 2 {
		t.Skipf("%s is not a number of runs >= 2 (%q): skipping the stability runs; make stability runs them", stabilityEnv, os.Getenv(stabilityEnv))
	}
	startRedis(t)
	all, err := scenarios.LoadDir(".")
	if err != nil {
		t.Fatal(err)
	}
	var files []*scenarios.File
	for _, f := range all {
		if why := needsMissingRedis(f); why != "" {
			t.Log(why)
			continue
		}
		files = append(files, f)
	}
	apps := buildStabilityApps(t)
	start := time.Now()
	tables := make([][]stabilityRow, len(apps))
	var wg sync.WaitGroup
	for i, app := range apps {
		wg.Add(1)
		go func() {
			defer wg.Done()
			tables[i] = stabilityOfApp(t, files, app, n)
		}()
	}
	wg.Wait()
	wall := time.Since(start)
	var b strings.Builder
	tw := tabwriter.NewWriter(&b, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "SCENARIO\tAPP\tEXPECTED\tRUNS AS EXPECTED\tFLAKY SLOS\tFLIPS")
	flips := 0
	for _, rows := range tables {
		for _, r := range rows {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%d/%d\t%s\t%d\n", r.scenario, r.app, r.expected, r.asExpected, r.runs, r.flakyText(), r.flips())
			flips += r.flips()
		}
	}
	tw.Flush()
	t.Logf("stability: %d files × %d apps × %d runs, %d runs at once, in %v; %d flips\n%s",
		len(files), len(apps), n, 2*max(1, catalogParallel()/2), wall.Round(time.Second), flips, b.String())
	if flips > 0 {
		t.Errorf("%d flips across the scenario × app pairs (table above): every pair must give its expected verdict in every run, with no flaky SLO where it is expected to pass", flips)
	}
	if got := len(tables[0]) + len(tables[1]); got != 2*len(files) {
		t.Errorf("%d scenario × app pairs ran, want %d (was the run cut short?)", got, 2*len(files))
	}
}

// stabilityApp is a reference app by the name the expect blocks use.
type stabilityApp struct {
	name string
	cmd  []string
}

func buildStabilityApps(t *testing.T) []stabilityApp {
	dir, temporary := appsCacheDir()
	if temporary {
		t.Cleanup(func() { _ = os.RemoveAll(dir) })
	}
	if out, err := buildApps(dir); err != nil {
		t.Fatalf("building examples/gateway and examples/naive into %s: %v\n%s", dir, err, out)
	}
	var apps []stabilityApp
	for _, name := range []string{"gateway", "naive"} {
		apps = append(apps, stabilityApp{name: name, cmd: []string{filepath.Join(dir, name)}})
	}
	return apps
}

// stabilityRow is one scenario × app pair over its runs.
type stabilityRow struct {
	scenario, app, expected string
	runs, asExpected        int
	flaky                   []string
}

// flips counts the runs that missed the pair's expected verdict (for an app expected to
// fail: the verdict, and every SLO its expect block lists breached, in every run), plus,
// for a pair expected to pass, each flaky SLO. An SLO the expect block does not list,
// flaky on an app that failed every run as expected, changes no verdict: the table shows
// it (FLAKY SLOS) without counting it a flip.
func (r stabilityRow) flips() int {
	n := r.runs - r.asExpected
	if r.expected == "pass" {
		n += len(r.flaky)
	}
	return n
}

func (r stabilityRow) flakyText() string {
	if len(r.flaky) == 0 {
		return "-"
	}
	return strings.Join(r.flaky, "; ")
}

// stabilityOfApp runs every file n times against app and judges each pair.
func stabilityOfApp(t *testing.T, files []*scenarios.File, app stabilityApp, n int) []stabilityRow {
	asExpected := map[*scenarios.File]int{}
	hook := runner.WithOnOutcome(func(o *runner.Outcome) {
		if msg := unexpected(o, app.name); msg != "" {
			t.Logf("%s against %s, run %d/%d: %s", o.File.Scenario.Name, app.name, o.Run, o.Runs, o.Redactor.Redact(msg))
			return
		}
		asExpected[o.File]++
	})
	plan := runner.Plan{Repeat: n, Parallel: max(1, catalogParallel()/2)}
	done, err := runner.RunFiles(context.Background(), files, plan, hook,
		runner.WithRunOptions(harness.WithSUTOverride(app.cmd, "")))
	if err != nil {
		t.Errorf("%s: %v", app.name, err)
		return nil
	}
	var rows []stabilityRow
	for _, fr := range done {
		row := stabilityRow{scenario: fr.File.Scenario.Name, app: app.name, expected: "pass",
			runs: len(fr.Runs), asExpected: asExpected[fr.File]}
		if exp, ok := fr.File.Expect[app.name]; ok && !exp.Pass {
			row.expected = "fail"
		}
		for _, s := range fr.Report.Flaky() {
			row.flaky = append(row.flaky, fmt.Sprintf("%s (held %d/%d)", s.Expr, s.Held, s.Runs))
		}
		rows = append(rows, row)
	}
	return rows
}

// unexpected says how run o of a file against app missed the file's expectation, "" when
// it met it: the same check as the catalog's (scenarios/suite).
func unexpected(o *runner.Outcome, app string) string {
	if o.Err != nil {
		return "could not run: " + o.Err.Error()
	}
	exp, ok := o.File.Expect[app]
	if !ok {
		exp = scenarios.Expectation{Pass: true}
	}
	if exp.Pass {
		if !o.Verdict.Pass {
			return fmt.Sprintf("expected to pass, breached %s", checkExprs(o.Verdict.Breached()))
		}
		return ""
	}
	if o.Verdict.Pass {
		return "expected to fail (" + exp.Why + "), passed"
	}
	for _, b := range exp.Breached {
		v, err := slo.EvaluateStrings(o.Result, []string{b})
		if err != nil {
			return fmt.Sprintf("expect block SLO %q: %v", b, err)
		}
		if v.Pass {
			return fmt.Sprintf("expected %q breached (%s), it held", b, exp.Why)
		}
	}
	return ""
}

func checkExprs(cs []slo.Check) string {
	var out []string
	for _, c := range cs {
		out = append(out, c.Expr+" (observed "+c.Observed+")")
	}
	return strings.Join(out, "; ")
}
