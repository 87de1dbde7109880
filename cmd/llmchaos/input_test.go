package main

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/llmchaos/llmchaos/scenarios"
)

func TestNoArgumentsPrintsUsageAndExits2(t *testing.T) {
	t.Parallel()
	code, stdout, _ := cli(context.Background())
	if code != exitBadInput {
		t.Errorf("exit code %d, want %d", code, exitBadInput)
	}
	for _, name := range []string{"run", "mock", "report", "diff", "list", "validate", "version", "Exit codes"} {
		if !strings.Contains(stdout, name) {
			t.Errorf("usage does not mention %q:\n%s", name, stdout)
		}
	}
	code, stdout, _ = cli(context.Background(), "--help")
	if code != exitOK || !strings.Contains(stdout, "Commands:") {
		t.Errorf("--help: exit %d, stdout:\n%s", code, stdout)
	}
}

func TestBadInputExits2(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	onlyDir := filepath.Join(dir, "one-report")
	if err := os.Mkdir(onlyDir, 0o755); err != nil {
		t.Fatal(err)
	}
	labelled := writeScenario(t, dir, scenarioSpec{Name: "cli-labelled", Command: []string{"/bin/true"},
		Timeline: []string{"{phase: steady, for: 1s}"}, SLOs: []string{"availability(steady) >= 0.5"}})
	cases := []struct {
		name   string
		args   []string
		stderr string // a substring stderr must hold
	}{
		{"unknown command", []string{"frobnicate"}, `unknown command "frobnicate"`},
		{"unknown flag", []string{"run", "--bogus", "x.yaml"}, "unknown flag: --bogus"},
		{"run without files", []string{"run"}, "give scenario files"},
		{"run with a bad progress mode", []string{"run", "--progress", "fancy", "x.yaml"}, `--progress "fancy"`},
		{"run a missing file", []string{"run", filepath.Join(dir, "missing.yaml")}, "missing.yaml"},
		{"run with a label no scenario has", []string{"run", "--label", "nosuch", labelled}, `no scenario has the label "nosuch"`},
		{"validate an empty folder", []string{"validate", onlyDir}, "no scenario files"},
		{"diff with one argument", []string{"diff", onlyDir}, "want two arguments"},
		{"diff a folder without reports", []string{"diff", onlyDir, onlyDir}, "no llmchaos report"},
		{"report without arguments", []string{"report"}, "give report JSON files"},
		{"mock of an unknown kind", []string{"mock", "redis", "--listen", "127.0.0.1:0"}, `unknown mock "redis"`},
		{"mock without a kind", []string{"mock"}, "Usage: llmchaos mock"},
		{"mock on a remote address", []string{"mock", "llm", "--listen", "0.0.0.0:0"}, "not a loopback address"},
		{"mock on a malformed address", []string{"mock", "llm", "--listen", "nowhere"}, "want host:port"},
		{"version with an argument flag", []string{"version", "--short"}, "unknown flag: --short"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			code, _, stderr := cli(context.Background(), c.args...)
			if code != exitBadInput {
				t.Errorf("exit code %d, want %d; stderr:\n%s", code, exitBadInput, stderr)
			}
			if !strings.Contains(stderr, c.stderr) {
				t.Errorf("stderr does not say %q:\n%s", c.stderr, stderr)
			}
		})
	}
}

// TestBadFileNamesFileAndLine: a scenario file with a misspelt field is bad input, and
// the message points at the file and the line, for run and validate alike.
func TestBadFileNamesFileAndLine(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "typo.yaml")
	if err := os.WriteFile(path, []byte("name: typo\ndescription: a typo on line 3\ntimelne: []\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, cmd := range []string{"run", "validate", "list"} {
		t.Run(cmd, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "out")
			args := []string{cmd, path}
			if cmd == "run" {
				args = []string{cmd, "--out", out, path}
			}
			code, _, stderr := cli(context.Background(), args...)
			if code != exitBadInput {
				t.Errorf("exit code %d, want %d", code, exitBadInput)
			}
			if !strings.Contains(stderr, path+":3:") || !strings.Contains(stderr, "timelne") {
				t.Errorf("stderr does not name %s:3 and the field timelne:\n%s", path, stderr)
			}
			if _, err := os.Stat(out); !os.IsNotExist(err) {
				t.Errorf("a bad file wrote reports to %s (stat: %v)", out, err)
			}
		})
	}
}

// TestHelpPrintsAnExample: --help on every subcommand exits 0 and prints its usage and an
// example on stdout, where a pager or grep can read it.
func TestHelpPrintsAnExample(t *testing.T) {
	t.Parallel()
	for _, c := range newRootCmd(io.Discard, io.Discard).Commands() {
		name := c.Name()
		for _, flag := range []string{"--help", "-h"} {
			t.Run(name+flag, func(t *testing.T) {
				code, stdout, stderr := cli(context.Background(), name, flag)
				if code != exitOK {
					t.Errorf("exit code %d, want %d; stderr:\n%s", code, exitOK, stderr)
				}
				if !strings.Contains(stdout, "Usage: llmchaos "+name) || !strings.Contains(stdout, "Example:\n  llmchaos "+name) {
					t.Errorf("stdout has no usage line and example for %s:\n%s", name, stdout)
				}
				if stderr != "" {
					t.Errorf("asked-for help wrote to stderr:\n%s", stderr)
				}
			})
		}
	}
}

func TestVersionPrintsTheName(t *testing.T) {
	t.Parallel()
	code, stdout, _ := cli(context.Background(), "version")
	if code != exitOK {
		t.Errorf("exit code %d, want 0", code)
	}
	if !regexp.MustCompile(`^llmchaos \S+\n$`).MatchString(stdout) {
		t.Errorf("version printed %q, want \"llmchaos VERSION\\n\"", stdout)
	}
}

// catalogFiles are the scenario files of the catalog, sorted.
func catalogFiles(t *testing.T) []string {
	t.Helper()
	var files []string
	for _, pat := range []string{"*.yaml", "*.yml"} {
		m, err := filepath.Glob(filepath.Join(repoRoot, "scenarios", pat))
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, m...)
	}
	if len(files) == 0 {
		t.Fatal("no scenario files in the catalog")
	}
	sort.Strings(files)
	return files
}

func TestValidateCatalog(t *testing.T) {
	t.Parallel()
	files := catalogFiles(t)
	code, stdout, stderr := cli(context.Background(), "validate", filepath.Join(repoRoot, "scenarios"))
	if code != exitOK {
		t.Fatalf("exit code %d, want 0; stderr:\n%s", code, stderr)
	}
	lines := strings.Split(strings.TrimSpace(stdout), "\n")
	if len(lines) != len(files) {
		t.Errorf("validate printed %d lines for %d files:\n%s", len(lines), len(files), stdout)
	}
	for i, f := range files {
		if i < len(lines) && !strings.HasPrefix(lines[i], "ok  "+f+" (") {
			t.Errorf("line %d is %q, want ok for %s", i+1, lines[i], f)
		}
	}
}

func TestListCatalog(t *testing.T) {
	t.Parallel()
	files := catalogFiles(t)
	code, stdout, stderr := cli(context.Background(), "list", filepath.Join(repoRoot, "scenarios"))
	if code != exitOK {
		t.Fatalf("exit code %d, want 0; stderr:\n%s", code, stderr)
	}
	lines := strings.Split(strings.TrimSpace(stdout), "\n")
	if len(lines) != len(files)+1 || !strings.HasPrefix(lines[0], "SCENARIO") {
		t.Fatalf("list printed %d lines for %d files (want a header and one line each):\n%s", len(lines), len(files), stdout)
	}
	for i, path := range files {
		f, err := scenarios.Load(path)
		if err != nil {
			t.Fatal(err)
		}
		fields := strings.Fields(lines[i+1])
		if len(fields) < 2 || fields[0] != f.Scenario.Name {
			t.Errorf("line %d is %q, want scenario %s", i+2, lines[i+1], f.Scenario.Name)
			continue
		}
		if want := f.Scenario.Timeline.Total().Round(1e6).String(); fields[1] != want {
			t.Errorf("%s: duration %s, want %s", f.Scenario.Name, fields[1], want)
		}
	}
}
