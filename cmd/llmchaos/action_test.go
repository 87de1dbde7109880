package main

import (
	"bufio"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// action is the part of action.yml the tests read.
type action struct {
	Inputs map[string]struct {
		Default string `yaml:"default"`
	} `yaml:"inputs"`
	Runs struct {
		Using string       `yaml:"using"`
		Steps []actionStep `yaml:"steps"`
	} `yaml:"runs"`
}

type actionStep struct {
	Name  string            `yaml:"name"`
	ID    string            `yaml:"id"`
	If    string            `yaml:"if"`
	Shell string            `yaml:"shell"`
	Run   string            `yaml:"run"`
	Uses  string            `yaml:"uses"`
	Env   map[string]string `yaml:"env"`
	With  map[string]string `yaml:"with"`
}

// actionRun is one local run of the action's steps, as GitHub would run them.
type actionRun struct {
	dir     string            // the workspace (working directory)
	inputs  map[string]string // defaults merged
	outputs map[string]map[string]string
	path    []string // GITHUB_PATH additions
	summary string   // the job summary file
	failed  map[string]bool
	uses    []actionStep
}

func loadAction(t *testing.T) action {
	t.Helper()
	var a action
	if err := yaml.Unmarshal([]byte(readFile(t, filepath.Join(repoRoot, "action.yml"))), &a); err != nil {
		t.Fatal(err)
	}
	if a.Runs.Using != "composite" {
		t.Fatalf("action.yml runs.using %q, want composite", a.Runs.Using)
	}
	return a
}

var exprRE = regexp.MustCompile(`\$\{\{\s*([^}]+?)\s*\}\}`)

// expand replaces the ${{ }} expressions GitHub would: inputs, github.action_path and
// step outputs; anything else fails the test (the test would not know its value).
func (r *actionRun) expand(t *testing.T, s string) string {
	t.Helper()
	return exprRE.ReplaceAllStringFunc(s, func(m string) string {
		e := exprRE.FindStringSubmatch(m)[1]
		switch {
		case strings.HasPrefix(e, "inputs."):
			return r.inputs[strings.TrimPrefix(e, "inputs.")]
		case e == "github.action_path":
			abs, err := filepath.Abs(repoRoot)
			if err != nil {
				t.Fatal(err)
			}
			return abs
		case strings.HasPrefix(e, "steps."):
			parts := strings.Split(e, ".") // steps.ID.outputs.NAME
			if len(parts) == 4 && parts[2] == "outputs" {
				return r.outputs[parts[1]][parts[3]]
			}
		}
		t.Fatalf("action.yml uses the expression %q, which this test cannot evaluate", m)
		return ""
	})
}

// runSteps runs the named steps (all when names is empty) of a in order: a shell step
// with bash as GitHub does (bash --noprofile --norc -eo pipefail), after a failed step
// only those with if: always(); a `uses` step is recorded, not run (no network).
func (r *actionRun) runSteps(t *testing.T, a action, names ...string) {
	t.Helper()
	anyFailed := false
	for _, st := range a.Runs.Steps {
		if len(names) > 0 && !contains(names, st.Name) {
			continue
		}
		if anyFailed && !strings.Contains(st.If, "always()") {
			continue
		}
		if st.Uses != "" {
			r.uses = append(r.uses, st)
			continue
		}
		if st.Shell != "bash" {
			t.Fatalf("step %q: shell %q, want bash", st.Name, st.Shell)
		}
		if err := r.runStep(t, st); err != nil {
			r.failed[st.Name] = true
			anyFailed = true
			t.Logf("step %q failed: %v", st.Name, err)
		}
	}
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

func (r *actionRun) runStep(t *testing.T, st actionStep) error {
	t.Helper()
	script := filepath.Join(t.TempDir(), "step.sh")
	if err := os.WriteFile(script, []byte(r.expand(t, st.Run)), 0o644); err != nil {
		t.Fatal(err)
	}
	outFile, pathFile := filepath.Join(t.TempDir(), "output"), filepath.Join(t.TempDir(), "path")
	cmd := exec.Command("bash", "--noprofile", "--norc", "-eo", "pipefail", script)
	cmd.Dir = r.dir
	env := append(os.Environ(),
		"GITHUB_OUTPUT="+outFile, "GITHUB_PATH="+pathFile, "GITHUB_STEP_SUMMARY="+r.summary,
		"GITHUB_SERVER_URL=https://github.com", "GITHUB_REPOSITORY=acme/app", "GITHUB_RUN_ID=42",
		"RUNNER_TEMP="+t.TempDir(), "GITHUB_ACTIONS=true",
		"PATH="+strings.Join(append(append([]string{}, r.path...), os.Getenv("PATH")), string(os.PathListSeparator)))
	for k, v := range st.Env {
		env = append(env, k+"="+r.expand(t, v))
	}
	cmd.Env = env
	out, err := cmd.CombinedOutput()
	t.Logf("step %q:\n%s", st.Name, out)
	if st.ID != "" {
		r.outputs[st.ID] = readKeyValues(t, outFile)
	}
	if b, rerr := os.ReadFile(pathFile); rerr == nil {
		r.path = append(strings.Fields(string(b)), r.path...)
	}
	return err
}

func readKeyValues(t *testing.T, path string) map[string]string {
	t.Helper()
	out := map[string]string{}
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return out
	}
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if k, v, ok := strings.Cut(sc.Text(), "="); ok {
			out[k] = v
		}
	}
	return out
}

func newActionRun(t *testing.T, a action, inputs map[string]string) *actionRun {
	t.Helper()
	r := &actionRun{dir: t.TempDir(), inputs: map[string]string{}, outputs: map[string]map[string]string{}, failed: map[string]bool{},
		summary: filepath.Join(t.TempDir(), "summary.md")}
	for k, v := range a.Inputs {
		r.inputs[k] = v.Default
	}
	for k, v := range inputs {
		if _, ok := a.Inputs[k]; !ok {
			t.Fatalf("action.yml has no input %q", k)
		}
		r.inputs[k] = v
	}
	return r
}

// TestActionRunsLocally runs action.yml's steps with bash against the gateway (the job
// passes) and the naive app (the verdict step fails the job), as GitHub would with the
// inputs set, and checks the job summary, the outputs and the upload step.
func TestActionRunsLocally(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: skipping the local run of action.yml's steps against both reference apps; make test runs it")
	}
	t.Parallel()
	a := loadAction(t)
	for _, c := range []struct {
		app      string
		exitCode string
		failJob  bool
	}{{"gateway", "0", false}, {"naive", "1", true}} {
		t.Run(c.app, func(t *testing.T) {
			t.Parallel()
			app := binary(t, "./examples/"+c.app)
			r := newActionRun(t, a, nil)
			writeScenario(t, filepath.Join(r.dir), scenarioSpec{Name: "cli-action", Command: []string{"/bin/false"},
				Timeline: dropoutTimeline, SLOs: dropoutSLOs})
			r.inputs = map[string]string{"scenarios": "cli-action.yaml", "app-command": app, "app-url": "",
				"out": "report", "version": "source", "artifact-name": "chaos-" + c.app}
			r.runSteps(t, a)
			if got := r.outputs["run"]["exit-code"]; got != c.exitCode {
				t.Errorf("exit-code output %q, want %q", got, c.exitCode)
			}
			if r.failed["verdict"] != c.failJob || len(r.failed) != map[bool]int{false: 0, true: 1}[c.failJob] {
				t.Errorf("failed steps %v; want the verdict step to fail: %v, no other", r.failed, c.failJob)
			}
			summary := readFile(t, r.summary)
			if !strings.Contains(summary, "## cli-action") {
				t.Errorf("the job summary is not the Markdown report:\n%.500s", summary)
			}
			if len(r.uses) != 1 || !strings.HasPrefix(r.uses[0].Uses, "actions/upload-artifact@") ||
				r.expand(t, r.uses[0].With["path"]) != "report" || r.expand(t, r.uses[0].With["name"]) != "chaos-"+c.app || r.uses[0].If != "always()" {
				t.Errorf("upload step: %+v", r.uses)
			}
			if _, err := os.Stat(filepath.Join(r.dir, "report", "cli-action.json")); err != nil {
				t.Errorf("the report folder the upload step names: %v", err)
			}
		})
	}
}

// TestActionSummaryGuard runs the job-summary step alone: a report over GitHub's 1 MiB
// limit is cut at a line, under the limit, and ends with a link to the run's artifact;
// a small one is copied whole; no report at all says so.
func TestActionSummaryGuard(t *testing.T) {
	t.Parallel()
	a := loadAction(t)
	const limit = 1 << 20
	line := "| scenario-with-a-long-name | pass | 0.8s | 1.2s | 1.00 | availability(outage) >= 0.95 |\n"
	for _, c := range []struct {
		name   string
		report string // "" for none
	}{
		{"long", "# llmchaos\n\n" + strings.Repeat(line, (3*limit)/len(line))},
		{"short", "# llmchaos\n\n" + line},
		{"none", ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			r := newActionRun(t, a, map[string]string{"out": "report", "artifact-name": "chaos-report"})
			r.outputs["run"] = map[string]string{"exit-code": "1"}
			if c.report != "" {
				if err := os.MkdirAll(filepath.Join(r.dir, "report"), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(filepath.Join(r.dir, "report", "report.md"), []byte(c.report), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			r.runSteps(t, a, "job summary")
			if len(r.failed) != 0 {
				t.Fatalf("the summary step failed")
			}
			got := readFile(t, r.summary)
			switch c.name {
			case "long":
				if len(got) > limit {
					t.Errorf("summary is %d bytes, over GitHub's limit of %d", len(got), limit)
				}
				if len(got) < limit/2 || !strings.HasPrefix(got, "# llmchaos\n") {
					t.Errorf("summary is %d bytes: the start of the report should fill most of the limit", len(got))
				}
				cut, note, _ := strings.Cut(got, "\n\n---\n")
				if !strings.HasSuffix(strings.TrimRight(cut, "\n"), line[:len(line)-1]) {
					t.Errorf("the report is not cut at a line end: ...%q", cut[max(0, len(cut)-80):])
				}
				if !strings.Contains(note, "artifact `chaos-report`") || !strings.Contains(note, "https://github.com/acme/app/actions/runs/42") {
					t.Errorf("the cut report does not end with a link to the artifact:\n%s", note)
				}
			case "short":
				if got != c.report {
					t.Errorf("a short report was not copied whole: %q", got)
				}
			case "none":
				if !strings.Contains(got, "No report was written (llmchaos run exited 1)") {
					t.Errorf("summary without a report: %q", got)
				}
			}
		})
	}
}
