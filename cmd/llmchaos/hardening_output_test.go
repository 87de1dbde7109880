package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestTerminalOutputIsEscaped: what the app prints (its log tail in the error, and live
// with --app-log), a scenario's description and a file name reach the terminal with their
// control characters escaped (\x1b), so an app cannot clear the screen, ring the bell or
// move the cursor of the person running llmchaos.
func TestTerminalOutputIsEscaped(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	file := writeScenario(t, dir, scenarioSpec{
		Name:        "cli-escapes",
		Description: "described \x1b]0;title\x07 here",
		Command:     []string{"/bin/sh", "-c", `printf '\033[2J\033[H boom \007 \302\233 done\n'; exit 1`},
		Timeline:    []string{"{phase: steady, for: 1s}"},
		SLOs:        []string{"availability(steady) >= 0.5"},
	})
	weird := filepath.Join(dir, "weird\x1b[31m.yaml")
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(weird, b, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{
		{"run", "--progress", "plain", "--out", filepath.Join(dir, "r1"), file},
		{"run", "--progress", "plain", "--app-log", "--out", filepath.Join(dir, "r2"), file},
		{"list", file},
		{"validate", weird},
	} {
		code, stdout, stderr := cli(context.Background(), args...)
		for _, out := range []string{stdout, stderr} {
			if strings.ContainsAny(out, "\x1b\x07") || strings.Contains(out, "\u009b") {
				t.Errorf("%v (exit %d): raw control characters reach the terminal:\n%q", args, code, out)
			}
		}
		if args[0] == "run" && !strings.Contains(stderr, `\x1b[2J`) {
			t.Errorf("%v: the app's output is not shown escaped:\n%s", args, stderr)
		}
	}
}
