package main

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestFlagsGoAnywhere: flags after the files, --flag=value, --flag value and the short
// forms all reach the command. The label no scenario has is the probe: the run stops at
// "no scenario has the label" (exit 2) only if --label was read, wherever it stood.
func TestFlagsGoAnywhere(t *testing.T) {
	t.Parallel()
	file := writeScenario(t, t.TempDir(), scenarioSpec{Name: "cli-anywhere", Command: []string{"/bin/true"},
		Timeline: []string{"{phase: steady, for: 1s}"}, SLOs: []string{"availability(steady) >= 0.5"}})
	for _, args := range [][]string{
		{"run", file, "--label", "nosuch"},
		{"run", file, "--label=nosuch"},
		{"run", file, "-l", "nosuch"},
		{"run", "-l=nosuch", file},
		{"run", "--progress", "off", file, "-o", t.TempDir(), "--label", "nosuch"},
	} {
		code, _, stderr := cli(context.Background(), args...)
		if code != exitBadInput || !strings.Contains(stderr, `no scenario has the label "nosuch"`) {
			t.Errorf("%q: exit %d, want %d and the label named; stderr:\n%s", args, code, exitBadInput, stderr)
		}
	}
	// A flag after the positional arguments of mock and list too.
	if code, _, stderr := cli(context.Background(), "mock", "llm", "--listen", "0.0.0.0:0"); code != exitBadInput || !strings.Contains(stderr, "not a loopback address") {
		t.Errorf("mock llm --listen 0.0.0.0:0: exit %d, stderr:\n%s", code, stderr)
	}
	if code, _, stderr := cli(context.Background(), "mock", "--listen=0.0.0.0:0", "llm"); code != exitBadInput || !strings.Contains(stderr, "not a loopback address") {
		t.Errorf("mock --listen=0.0.0.0:0 llm: exit %d, stderr:\n%s", code, stderr)
	}
	if code, _, stderr := cli(context.Background(), "run", file, "-p", "fancy"); code != exitBadInput || !strings.Contains(stderr, `--progress "fancy"`) {
		t.Errorf("run FILE -p fancy: exit %d, stderr:\n%s", code, stderr)
	}
	// "--" ends the flags: what follows is a file, even if it looks like a flag.
	if code, _, stderr := cli(context.Background(), "validate", "--", "--label"); code != exitBadInput || !strings.Contains(stderr, "--label") || strings.Contains(stderr, "unknown flag") {
		t.Errorf("validate -- --label: exit %d, want 2 for a missing file named --label; stderr:\n%s", code, stderr)
	}
}

// TestDidYouMean: a mistyped command or flag is a usage error (exit 2) that names the
// closest command or flag; one nothing resembles names none.
func TestDidYouMean(t *testing.T) {
	t.Parallel()
	cases := []struct {
		args     []string
		want     string // what stderr must hold ("" for no suggestion)
		notWant  string
		helpHint string
	}{
		{[]string{"rnu", "scenarios/"}, "Did you mean this?\n\trun", "", "Run 'llmchaos --help'"},
		{[]string{"valdate"}, "Did you mean this?\n\tvalidate", "", "Run 'llmchaos --help'"},
		{[]string{"run", "--otu", "x", "f.yaml"}, "Did you mean this?\n\t--out", "", "Run 'llmchaos run --help'"},
		{[]string{"run", "--lable=x", "f.yaml"}, "Did you mean this?\n\t--label", "", "Run 'llmchaos run --help'"},
		{[]string{"diff", "--ttf-rell", "1", "a", "b"}, "Did you mean this?\n\t--ttf-rel", "", "Run 'llmchaos diff --help'"},
		{[]string{"report", "--fromat", "html", "a"}, "Did you mean this?\n\t--format", "", "Run 'llmchaos report --help'"},
		{[]string{"mock", "llm", "--listn", "127.0.0.1:0"}, "Did you mean this?\n\t--listen", "", "Run 'llmchaos mock --help'"},
		{[]string{"run", "--zzzzzzzz", "f.yaml"}, "unknown flag: --zzzzzzzz", "Did you mean", "Run 'llmchaos run --help'"},
		{[]string{"xyzzyplugh"}, `unknown command "xyzzyplugh"`, "Did you mean", "Run 'llmchaos --help'"},
	}
	for _, c := range cases {
		code, stdout, stderr := cli(context.Background(), c.args...)
		if code != exitBadInput {
			t.Errorf("%q: exit %d, want %d", c.args, code, exitBadInput)
		}
		if !strings.Contains(stderr, c.want) || !strings.Contains(stderr, c.helpHint) {
			t.Errorf("%q: stderr should hold %q and %q:\n%s", c.args, c.want, c.helpHint, stderr)
		}
		if c.notWant != "" && strings.Contains(stderr, c.notWant) {
			t.Errorf("%q: stderr should not hold %q:\n%s", c.args, c.notWant, stderr)
		}
		if stdout != "" {
			t.Errorf("%q: a usage error wrote to stdout:\n%s", c.args, stdout)
		}
	}
}

// TestSingleDashLongFlagIsRefused: Go's flag package read -out as --out; pflag would read
// it as -o with the value "ut". The CLI refuses it with a message saying to write --out.
func TestSingleDashLongFlagIsRefused(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{
		{"run", "-out", "dir", "f.yaml"},
		{"run", "f.yaml", "-label=x"},
		{"report", "-format", "html", "dir"},
		{"mock", "llm", "-listen", "127.0.0.1:0"},
		{"run", "-help"},
	} {
		code, _, stderr := cli(context.Background(), args...)
		if code != exitBadInput || !strings.Contains(stderr, "a long flag takes two dashes") {
			t.Errorf("%q: exit %d, want %d and the two-dash hint; stderr:\n%s", args, code, exitBadInput, stderr)
		}
	}
}

// TestCompletion: `llmchaos completion SHELL` prints each shell's script (the bash one
// parses with bash -n when bash is installed), an unknown shell is exit 2, and the
// completions the scripts ask the binary for (`__complete`) offer the commands, the
// flags, the flags' values and the mock kinds.
func TestCompletion(t *testing.T) {
	t.Parallel()
	marks := map[string]string{
		"bash":       "complete -o default -F __start_llmchaos llmchaos",
		"zsh":        "#compdef llmchaos",
		"fish":       "complete -c llmchaos",
		"powershell": "Register-ArgumentCompleter -CommandName 'llmchaos'",
	}
	for shell, mark := range marks {
		code, stdout, stderr := cli(context.Background(), "completion", shell)
		if code != exitOK || !strings.Contains(stdout, mark) {
			t.Errorf("completion %s: exit %d, want 0 and a script holding %q; stderr:\n%s", shell, code, mark, stderr)
		}
		if shell == "bash" {
			checkBashSyntax(t, stdout)
		}
	}
	for _, args := range [][]string{{"completion"}, {"completion", "tcsh"}, {"completion", "bash", "zsh"}} {
		if code, _, stderr := cli(context.Background(), args...); code != exitBadInput {
			t.Errorf("%q: exit %d, want %d; stderr:\n%s", args, code, exitBadInput, stderr)
		}
	}

	cases := []struct {
		args []string
		want []string
	}{
		{[]string{"__complete", "r"}, []string{"report", "run"}},
		{[]string{"__complete", "run", "--p"}, []string{"--progress"}},
		{[]string{"__complete", "run", "--progress", ""}, []string{"auto", "plain", "off"}},
		{[]string{"__complete", "report", "--format", ""}, []string{"markdown", "html", "junit", "json"}},
		{[]string{"__complete", "mock", ""}, []string{"llm", "telemetry", "store"}},
		{[]string{"__complete", "completion", ""}, []string{"bash", "zsh", "fish", "powershell"}},
		{[]string{"__complete", "run", ""}, []string{"yaml", "yml", ":8"}}, // :8 is ShellCompDirectiveFilterFileExt
	}
	for _, c := range cases {
		code, stdout, stderr := cli(context.Background(), c.args...)
		if code != exitOK {
			t.Errorf("%q: exit %d; stderr:\n%s", c.args, code, stderr)
		}
		lines := map[string]bool{}
		for _, l := range strings.Split(stdout, "\n") {
			name, _, _ := strings.Cut(l, "\t")
			lines[name] = true
		}
		for _, w := range c.want {
			if !lines[w] {
				t.Errorf("%q: completions do not offer %q:\n%s", c.args, w, stdout)
			}
		}
	}
}

// checkBashSyntax runs bash -n over script when bash is installed.
func checkBashSyntax(t *testing.T, script string) {
	t.Helper()
	bash, err := exec.LookPath("bash")
	if err != nil {
		t.Log("bash is not installed: the bash completion script's syntax was not checked")
		return
	}
	path := filepath.Join(t.TempDir(), "llmchaos.bash")
	if err := os.WriteFile(path, []byte(script), 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command(bash, "-n", path).CombinedOutput(); err != nil {
		t.Errorf("bash -n on the completion script: %v\n%s", err, out)
	}
}

// TestRunCatalogFileWithFlagsAfterIt: the command a new user types, `llmchaos run
// scenarios/provider-dropout.yaml --out DIR`, runs the catalog file (the gateway, built,
// given with --sut-cmd after the file too) and writes its reports into DIR.
func TestRunCatalogFileWithFlagsAfterIt(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: skipping the end-to-end run of scenarios/provider-dropout.yaml; make test runs it")
	}
	t.Parallel()
	out := filepath.Join(t.TempDir(), "report")
	file := filepath.Join(repoRoot, "scenarios", "provider-dropout.yaml")
	code, stdout, stderr := cli(context.Background(), "run", file, "--out", out, "--sut-cmd", binary(t, "./examples/gateway"), "-p", "plain")
	if code != exitOK {
		t.Fatalf("exit code %d, want 0\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
	rep := readReport(t, filepath.Join(out, "provider-dropout.json"))
	if rep.Scenario != "provider-dropout" || rep.Verdict != "pass" || len(rep.SLOs) == 0 {
		t.Errorf("report: scenario %q verdict %q with %d SLOs, want provider-dropout passing its SLOs", rep.Scenario, rep.Verdict, len(rep.SLOs))
	}
	if !strings.Contains(stdout, "reports: "+out) {
		t.Errorf("stdout does not say the reports are in %s:\n%s", out, stdout)
	}
}

// TestSchemaPrintsTheCheckedInSchema: llmchaos schema prints schema/scenario.schema.json.
func TestSchemaPrintsTheCheckedInSchema(t *testing.T) {
	t.Parallel()
	code, stdout, stderr := cli(context.Background(), "schema")
	if code != exitOK {
		t.Fatalf("exit %d; stderr:\n%s", code, stderr)
	}
	if want := readFile(t, filepath.Join(repoRoot, "schema", "scenario.schema.json")); stdout != want {
		t.Errorf("llmchaos schema printed %d bytes, not schema/scenario.schema.json (%d bytes)", len(stdout), len(want))
	}
}
