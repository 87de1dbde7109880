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
	"sync/atomic"
	"testing"
)

// flakyApp is an app already running (--sut-url style): every readiness probe starts a
// run, and it fails every request of each run whose number is in failRuns.
type flakyApp struct {
	runs     atomic.Int32
	failRuns map[int32]bool
}

func (a *flakyApp) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path == "/healthz" {
		a.runs.Add(1)
		return
	}
	if a.failRuns[a.runs.Load()] {
		http.Error(w, "failing this run on purpose", http.StatusInternalServerError)
		return
	}
	_, _ = w.Write([]byte("ok"))
}

// writeURLScenario writes a short scenario against the app at url: plain HTTP load,
// one SLO on availability.
func writeURLScenario(t *testing.T, dir, url string) string {
	t.Helper()
	yaml := fmt.Sprintf(`name: cli-flaky
upstreams:
  primary: {kind: openai}
sut:
  url: %q
  ready: {path: /healthz, timeout: 10s}
load:
  rate: 20/s
  request: {protocol: http, path: /}
timeline:
  - {phase: steady, for: 500ms}
slo:
  - availability >= 0.9
`, url)
	path := filepath.Join(dir, "cli-flaky.yaml")
	if err := os.WriteFile(path, []byte(yaml), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// repeatReport is the part of a repeated report the test reads.
type repeatReport struct {
	Verdict string `json:"verdict"`
	Repeats *struct {
		Runs     int      `json:"runs"`
		Strict   bool     `json:"strict"`
		Verdicts []string `json:"verdicts"`
		SLOs     []struct {
			Expr  string `json:"expr"`
			Held  int    `json:"held"`
			Runs  int    `json:"runs"`
			Pass  bool   `json:"pass"`
			Flaky bool   `json:"flaky"`
		} `json:"slos"`
	} `json:"repeats"`
}

// TestRunRepeat: --repeat 3 against an app that fails its second run exits 0 (the
// majority held the SLO) and reports the SLO as flaky; with --strict it exits 1; an app
// that never fails is not flaky (the negative control).
func TestRunRepeat(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name      string
		failRuns  map[int32]bool
		args      []string
		wantCode  int
		wantFlaky bool
		runs      int
		passed    int
	}{
		{"majority", map[int32]bool{2: true}, []string{"--repeat", "3"}, exitOK, true, 3, 2},
		{"strict", map[int32]bool{2: true}, []string{"--repeat=3", "--strict"}, exitBreached, true, 3, 2},
		{"majority breached", map[int32]bool{1: true, 3: true}, []string{"--repeat", "3"}, exitBreached, true, 3, 1},
		{"steady", nil, []string{"--repeat", "2", "--strict"}, exitOK, false, 2, 2},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			srv := httptest.NewServer(&flakyApp{failRuns: c.failRuns})
			defer srv.Close()
			dir := t.TempDir()
			out := filepath.Join(dir, "report")
			// One run at a time: the app tells runs apart by their readiness probes.
			args := append([]string{"run", "--parallel", "1", "--progress", "plain", "--out", out, writeURLScenario(t, dir, srv.URL)}, c.args...)
			code, stdout, stderr := cli(context.Background(), args...)
			if code != c.wantCode {
				t.Fatalf("exit code %d, want %d\nstdout:\n%s\nstderr:\n%s", code, c.wantCode, stdout, stderr)
			}
			for i := 1; i <= c.runs; i++ {
				if !regexp.MustCompile(fmt.Sprintf(`(?m)^cli-flaky \[%d/%d\]\s+(PASS|FAIL)`, i, c.runs)).MatchString(stdout) {
					t.Errorf("no progress line for run %d:\n%s", i, stdout)
				}
			}
			wantRuns := fmt.Sprintf("%d/%d", c.passed, c.runs)
			if !regexp.MustCompile(`SCENARIO\s+VERDICT\s+RUNS PASSED\s+TTF\s+FAILBACK\s+AMPLIFICATION\s+BREACHED\s+FLAKY\ncli-flaky\s+(pass|FAIL)\s+` + wantRuns + `\s`).MatchString(stdout) {
				t.Errorf("summary table does not say %s runs passed:\n%s", wantRuns, stdout)
			}
			if got := strings.Contains(stdout, "availability >= 0.9 (held "); got != c.wantFlaky {
				t.Errorf("summary names the flaky SLO: %v, want %v:\n%s", got, c.wantFlaky, stdout)
			}
			var rep repeatReport
			if err := json.Unmarshal([]byte(readFile(t, filepath.Join(out, "cli-flaky.json"))), &rep); err != nil {
				t.Fatal(err)
			}
			if rep.Repeats == nil || len(rep.Repeats.SLOs) != 1 || rep.Repeats.SLOs[0].Flaky != c.wantFlaky ||
				(rep.Verdict == "pass") != (c.wantCode == exitOK) {
				t.Errorf("report: verdict %s, repeats %+v", rep.Verdict, rep.Repeats)
			}
			sum := readFile(t, filepath.Join(out, "summary.json"))
			if strings.Contains(sum, `"flaky"`) != c.wantFlaky {
				t.Errorf("summary.json flaky list present %v, want %v:\n%s", !c.wantFlaky, c.wantFlaky, sum)
			}
		})
	}
}

// TestRunRepeatBounds: --repeat outside 1..runner.MaxRepeat is bad input (exit 2),
// before anything runs.
func TestRunRepeatBounds(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	file := writeURLScenario(t, dir, "http://127.0.0.1:1")
	for _, n := range []string{"0", "-2", "101"} {
		code, _, stderr := cli(context.Background(), "run", "--repeat", n, "--out", filepath.Join(dir, "r"), file)
		if code != exitBadInput || !strings.Contains(stderr, "--repeat "+n) && !strings.Contains(stderr, "repeat "+n) {
			t.Errorf("--repeat %s: exit %d, stderr %q: want exit 2 naming the flag", n, code, stderr)
		}
		if _, err := os.Stat(filepath.Join(dir, "r")); err == nil {
			t.Errorf("--repeat %s wrote reports", n)
		}
	}
}
