package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/llmchaos/llmchaos/harness/slo"
	"github.com/llmchaos/llmchaos/reports"
)

// TestBadFlagsExit2BeforeAnythingRuns: flags that cannot work are refused at once with exit
// 2, before an app starts (the --out folder once the files have loaded, the rest before
// they load): URLs that are not http(s) URLs, --sut-url
// with --sut-cmd, an --out that is a file, a port out of range, answer words past the
// limit, negative diff thresholds. Each used to run (often for the whole scenario) and
// then exit 3, or to accept a value that gave wrong verdicts.
func TestBadFlagsExit2BeforeAnythingRuns(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	marker := filepath.Join(dir, "the-app-ran")
	file := writeScenario(t, dir, scenarioSpec{Name: "cli-never-runs", Command: []string{"/bin/sh", "-c", "touch " + marker + "; exec sleep 60"},
		Timeline: []string{"{phase: steady, for: 1s}"}, SLOs: []string{"availability(steady) >= 0.5"}})
	aFile := filepath.Join(dir, "a-file")
	if err := os.WriteFile(aFile, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	report := filepath.Join(dir, "reports")
	if _, err := reports.WriteAll(report, []*reports.Report{reports.Build(nil, slo.Verdict{Scenario: "x", Pass: true})}); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name   string
		args   []string
		stderr string
	}{
		{"--out is a file", []string{"run", file, "--out", aFile}, aFile},
		{"--out under a file", []string{"run", file, "--out", filepath.Join(aFile, "sub")}, aFile},
		{"--sut-url not a URL", []string{"run", file, "--sut-url", "not a url"}, "not a url"},
		{"--sut-url ftp", []string{"run", file, "--sut-url", "ftp://127.0.0.1:21/x"}, "ftp://127.0.0.1:21/x"},
		{"--toxiproxy not a URL", []string{"run", file, "--toxiproxy", "localhost 8474"}, "localhost 8474"},
		{"--sut-url with --sut-cmd", []string{"run", file, "--sut-url", "http://127.0.0.1:9", "--sut-cmd", "/bin/true"}, "--sut-cmd"},
		{"mock port out of range", []string{"mock", "llm", "--listen", "127.0.0.1:99999"}, "99999"},
		{"mock answer words past the limit", []string{"mock", "llm", "--listen", "127.0.0.1:0", "--words", "100000000"}, "100000"},
		{"diff negative availability drop", []string{"diff", report, report, "--availability-drop", "-1"}, "availability-drop"},
		{"diff negative ttf threshold", []string{"diff", report, report, "--ttf-rel", "-0.5"}, "ttf-rel"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			start := time.Now()
			code, _, stderr := cli(ctx, c.args...)
			if code != exitBadInput || !strings.Contains(stderr, c.stderr) {
				t.Errorf("exit %d after %v, want %d with stderr naming %q; stderr:\n%s", code, time.Since(start).Round(time.Millisecond), exitBadInput, c.stderr, stderr)
			}
		})
	}
	if _, err := os.Stat(marker); err == nil {
		t.Error("the app was started although the flags were refused")
	}
}
