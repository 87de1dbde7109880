package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/llmchaos/llmchaos/harness"
	"github.com/llmchaos/llmchaos/runner"
	"github.com/llmchaos/llmchaos/scenarios"
)

// concurrencyApp answers 200 and keeps, per scenario (its requests' path), the first and
// last request's time: Most is how many runs' spans overlapped.
type concurrencyApp struct {
	mu         sync.Mutex
	first, end map[string]time.Time
}

func (a *concurrencyApp) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path != "/healthz" {
		a.mu.Lock()
		now := time.Now()
		if _, ok := a.first[r.URL.Path]; !ok {
			a.first[r.URL.Path] = now
		}
		a.end[r.URL.Path] = now
		a.mu.Unlock()
	}
	_, _ = w.Write([]byte("ok"))
}

// Most is the most runs whose spans (first to last request) overlap at one time.
func (a *concurrencyApp) Most() int {
	a.mu.Lock()
	defer a.mu.Unlock()
	most := 0
	for _, at := range a.first {
		n := 0
		for p, f := range a.first {
			if !f.After(at) && !a.end[p].Before(at) {
				n++
			}
		}
		most = max(most, n)
	}
	return most
}

// writeNamedURLScenario writes scenario name against the app at url, its requests to
// /<name>, its steady phase d long.
func writeNamedURLScenario(t *testing.T, dir, name, url string, d time.Duration) string {
	t.Helper()
	yaml := fmt.Sprintf(`name: %s
upstreams:
  primary: {kind: openai}
sut:
  url: %q
  ready: {path: /healthz, timeout: 10s}
load:
  rate: 20/s
  request: {protocol: http, path: /%s}
timeline:
  - {phase: steady, for: %s}
slo:
  - availability >= 0.9
`, name, url, name, d)
	path := filepath.Join(dir, name+".yaml")
	if err := os.WriteFile(path, []byte(yaml), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestRunParallel: --parallel 3 runs three files at once (the app sees their requests
// overlap; --parallel 1, the negative control, does not), prints every running
// scenario's progress, and writes the same reports in the same order as one at a time,
// each recording the parallelism. Without --parallel, files against one app already
// running (sut.url) run one at a time.
func TestRunParallel(t *testing.T) {
	t.Parallel()
	for _, par := range []int{1, 3, 0} {
		app := &concurrencyApp{first: map[string]time.Time{}, end: map[string]time.Time{}}
		srv := httptest.NewServer(app)
		dir := t.TempDir()
		// The first file is the longest: with runs at once it ends last.
		var files []string
		for i, d := range []time.Duration{1500 * time.Millisecond, 600 * time.Millisecond, 600 * time.Millisecond} {
			files = append(files, writeNamedURLScenario(t, dir, fmt.Sprintf("cli-par-%d", i), srv.URL, d))
		}
		out := filepath.Join(dir, "report")
		args := []string{"run", "--progress", "plain", "--out", out}
		if par > 0 {
			args = append(args, "--parallel", fmt.Sprint(par))
		}
		code, stdout, stderr := cli(context.Background(), append(args, files...)...)
		par = max(par, 1) // the default with an app already running
		srv.Close()
		if code != exitOK {
			t.Fatalf("parallel %d: exit %d\nstdout:\n%s\nstderr:\n%s", par, code, stdout, stderr)
		}
		if want := map[int]int{1: 1, 3: 3}[par]; app.Most() != want {
			t.Errorf("parallel %d: the app saw %d runs' requests overlap, want %d", par, app.Most(), want)
		}
		for i := range files {
			if !regexp.MustCompile(fmt.Sprintf(`(?m)^cli-par-%d\s+phase steady .* sent\s+\d+`, i)).MatchString(stdout) {
				t.Errorf("parallel %d: no progress line for cli-par-%d:\n%s", par, i, stdout)
			}
		}
		verdictAt := strings.Index(stdout, "cli-par-0                PASS")
		if first := verdictAt < strings.Index(stdout, "cli-par-1                PASS"); first != (par == 1) {
			t.Errorf("parallel %d: verdict lines in an unexpected order:\n%s", par, stdout)
		}
		var sum struct {
			Scenarios []struct{ Scenario string } `json:"scenarios"`
		}
		if err := json.Unmarshal([]byte(readFile(t, filepath.Join(out, "summary.json"))), &sum); err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, s := range sum.Scenarios {
			names = append(names, s.Scenario)
		}
		if strings.Join(names, ",") != "cli-par-0,cli-par-1,cli-par-2" {
			t.Errorf("parallel %d: summary.json lists %v: want the order given", par, names)
		}
		var rep struct {
			Parallel *int `json:"parallel"`
		}
		if err := json.Unmarshal([]byte(readFile(t, filepath.Join(out, "cli-par-1.json"))), &rep); err != nil {
			t.Fatal(err)
		}
		if got := rep.Parallel; (par == 1) != (got == nil) || (got != nil && *got != par) {
			t.Errorf("parallel %d: the report records parallel %v", par, got)
		}
	}
}

func TestRunParallelBounds(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	file := writeURLScenario(t, dir, "http://127.0.0.1:1")
	for _, n := range []string{"0", "-1", fmt.Sprint(runner.MaxParallel + 1)} {
		code, _, stderr := cli(context.Background(), "run", "--parallel", n, "--out", filepath.Join(dir, "r"), file)
		if code != exitBadInput || !strings.Contains(stderr, "--parallel "+n) {
			t.Errorf("--parallel %s: exit %d, stderr %q: want exit 2 naming the flag", n, code, stderr)
		}
	}
	code, stdout, _ := cli(context.Background(), "run", "--help")
	if code != exitOK || !strings.Contains(stdout, fmt.Sprintf("the CPU count (%d here)", runner.DefaultParallel())) {
		t.Errorf("run --help does not state the default parallelism:\n%s", stdout)
	}
}

// TestProgressTerminalShowsEveryRun: on a terminal the status block has one line per
// running run, rewritten in place; a finished run's verdict goes above the block.
func TestProgressTerminalShowsEveryRun(t *testing.T) {
	var b strings.Builder
	p := &progressPrinter{w: &b, mode: "tty"}
	a := &scenarios.File{Path: "a.yaml", Scenario: harness.Scenario{Name: "sc-a"}}
	c := &scenarios.File{Path: "c.yaml", Scenario: harness.Scenario{Name: "sc-c"}}
	up := p.update(1)
	up(a, 1, harness.Progress{Scenario: "sc-a", Phase: "steady", Sent: 3})
	up(c, 1, harness.Progress{Scenario: "sc-c", Phase: "outage", Sent: 5})
	up(a, 1, harness.Progress{Scenario: "sc-a", Phase: "steady", Sent: 7})
	last := b.String()[strings.LastIndex(b.String(), "\r\033[2A"):]
	if !regexp.MustCompile(`^\r\033\[2A\r\033\[Jsc-a\s+phase steady .*sent    7.*\nsc-c\s+phase outage .*sent    5.*\n$`).MatchString(last) {
		t.Fatalf("the last redraw moves up over 2 lines and shows both runs: %q", last)
	}
	b.Reset()
	p.finish(&runner.Outcome{File: a, Run: 1, Runs: 1})
	if !regexp.MustCompile(`^\r\033\[2A\r\033\[Jsc-a\s+COULD NOT RUN\nsc-c\s+phase outage .*\n$`).MatchString(b.String()) {
		t.Fatalf("finishing a run prints its verdict above the one left running: %q", b.String())
	}
	if p.drawn != 1 {
		t.Fatalf("%d status lines drawn, want 1", p.drawn)
	}
}
