package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The planted secrets: the first has a provider key's shape (the redactor's patterns catch
// it anyway); the second has no known shape, so only the literal secrets that
// runner.Execute collects from sut.env can redact it.
const (
	plantedKey   = "sk-test-PLANTEDKEY1234567890"
	plantedToken = "plantedtokenvalue42"
	scriptTag    = "<script>alert(1)</script>"
)

// plantedEnv is the sut.env that holds the planted secrets.
var plantedEnv = map[string]string{"OPENAI_API_KEY": plantedKey, "MY_SERVICE_TOKEN": plantedToken}

// leakLine is a shell command printing an untrusted line and the secrets to stdout.
const leakLine = `echo "` + scriptTag + ` key=$OPENAI_API_KEY token $MY_SERVICE_TOKEN"; `

// TestRunRedactsSecretsAndEscapesAppOutput: an app whose log holds a script tag and the
// secrets of its environment gets reports that hold neither the secrets (in any file) nor
// a raw script tag (in any file a browser or a CI viewer renders); the CLI's own output
// holds no secret either.
func TestRunRedactsSecretsAndEscapesAppOutput(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: skipping the end-to-end run of llmchaos against a leaky gateway; make test runs it")
	}
	t.Parallel()
	dir := t.TempDir()
	gateway := binary(t, "./examples/gateway")
	file := writeScenario(t, dir, scenarioSpec{
		Name:        "cli-untrusted",
		Description: "An app that logs " + scriptTag + " and its key " + plantedKey,
		Command:     []string{"/bin/sh", "-c", leakLine + "exec " + gateway},
		Env:         plantedEnv,
		Timeline:    []string{"{phase: steady, for: 1500ms}"},
		SLOs:        []string{"availability(steady) >= 0.5"},
	})
	out := filepath.Join(dir, "report")
	code, stdout, stderr := cli(context.Background(), "run", "--app-log", "--progress", "plain", "--out", out, file)
	if code != exitOK {
		t.Fatalf("exit code %d, want 0\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
	// --app-log copied the app's output to stderr: the line is there, redacted.
	if !strings.Contains(stderr, "alert(1)") {
		t.Errorf("--app-log did not copy the app's line to stderr:\n%s", stderr)
	}
	assertNoSecret(t, "stdout", stdout)
	assertNoSecret(t, "stderr", stderr)

	// The line reached the report (redacted), so the checks below are not vacuous.
	rep := readReport(t, filepath.Join(out, "cli-untrusted.json"))
	found := false
	for _, l := range rep.SUTLog {
		if strings.Contains(l, "alert(1)") && strings.Count(l, "[REDACTED]") == 2 {
			found = true
		}
	}
	if !found {
		t.Errorf("the report's sut_log has no redacted copy of the app's line:\n%s", strings.Join(rep.SUTLog, "\n"))
	}

	entries, err := os.ReadDir(out)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) < 5 {
		t.Fatalf("%d report files, want at least 5", len(entries))
	}
	for _, e := range entries {
		body := readFile(t, filepath.Join(out, e.Name()))
		assertNoSecret(t, e.Name(), body)
		if strings.HasSuffix(e.Name(), ".json") {
			// JSON is data, not markup: the tag may be there verbatim, it is never
			// interpreted (the HTML page escapes what it shows from it).
			continue
		}
		if strings.Contains(body, "<script>alert") {
			t.Errorf("%s holds a raw %s", e.Name(), scriptTag)
		}
		if !strings.Contains(body, "alert(1)") {
			t.Errorf("%s does not show the app's line or the description at all", e.Name())
		}
	}
}

// TestCouldNotRunRedactsTheAppLog: an app that dies at start with its key in its log
// makes the CLI exit 3 with the app's log tail on stderr, the key redacted.
func TestCouldNotRunRedactsTheAppLog(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	file := writeScenario(t, dir, scenarioSpec{
		Name:     "cli-leaky-crash",
		Command:  []string{"/bin/sh", "-c", leakLine + "echo boom >&2; exit 3"},
		Env:      plantedEnv,
		Timeline: []string{"{phase: steady, for: 1s}"},
		SLOs:     []string{"availability(steady) >= 0.5"},
	})
	code, stdout, stderr := cli(context.Background(), "run", "--progress", "plain", "--out", filepath.Join(dir, "report"), file)
	if code != exitCannotRun {
		t.Errorf("exit code %d, want %d", code, exitCannotRun)
	}
	if !strings.Contains(stderr, "boom") || !strings.Contains(stderr, "alert(1)") {
		t.Errorf("stderr does not show the app's log tail:\n%s", stderr)
	}
	if !strings.Contains(stdout, "cli-leaky-crash          COULD NOT RUN") {
		t.Errorf("stdout does not give the verdict COULD NOT RUN:\n%s", stdout)
	}
	// The scenario that never ran still has a report, which fails and says why (so CI's
	// JUnit shows it), with the app's log redacted.
	for _, name := range []string{"cli-leaky-crash.json", "junit.xml", "report.md", "index.html"} {
		b, err := os.ReadFile(filepath.Join(dir, "report", name))
		if err != nil {
			t.Fatalf("a run that could not start wrote no %s: %v", name, err)
		}
		assertNoSecret(t, name, string(b))
		if !strings.Contains(string(b), "could not run") && !strings.Contains(string(b), "CouldNotRun") {
			t.Errorf("%s does not say the harness could not run:\n%s", name, b)
		}
	}
	assertNoSecret(t, "stdout", stdout)
	assertNoSecret(t, "stderr", stderr)
}

func assertNoSecret(t *testing.T, where, s string) {
	t.Helper()
	for _, secret := range []string{plantedKey, plantedToken} {
		if strings.Contains(s, secret) {
			t.Errorf("%s holds the planted secret %q", where, secret)
		}
	}
}
