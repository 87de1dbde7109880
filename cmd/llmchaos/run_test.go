package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// reportJSON is the part of a <scenario>.json report the tests read.
type reportJSON struct {
	Scenario    string   `json:"scenario"`
	Verdict     string   `json:"verdict"`
	Interrupted bool     `json:"interrupted"`
	SUTLog      []string `json:"sut_log"`
	SLOs        []struct {
		Expr string `json:"expr"`
		Pass bool   `json:"pass"`
	} `json:"slos"`
	Phases []struct {
		Name string `json:"name"`
	} `json:"phases"`
}

func readReport(t testing.TB, path string) reportJSON {
	t.Helper()
	var r reportJSON
	if err := json.Unmarshal([]byte(readFile(t, path)), &r); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return r
}

// breached returns the expressions of r's breached SLOs.
func (r reportJSON) breached() []string {
	var out []string
	for _, s := range r.SLOs {
		if !s.Pass {
			out = append(out, s.Expr)
		}
	}
	return out
}

// appRun is one `llmchaos run` of the dropout scenario against an app.
type appRun struct {
	app                  string
	sutCmd               string // the app --sut-cmd runs instead of app ("" for none)
	wantCode             int
	wantBreached         []string
	code                 int
	stdout, stderr, out  string
	progressOutageRate   float64
	progressOutageParsed bool
}

// progressRE is a plain progress line: scenario, phase, elapsed, sent, success rate.
var progressRE = regexp.MustCompile(`^(\S+)\s+phase (\S+)\s+[\d.]+s / [\d.]+s\s+sent\s+\d+\s+success\s+([\d.]+)%$`)

// TestRunVerdictsReportsAndDiff runs one short provider-dropout scenario against the
// resilient gateway (exit 0) and the naive app (exit 1) side by side, checks the reports
// each run wrote and its progress output, then re-renders the reports and diffs them.
func TestRunVerdictsReportsAndDiff(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: skipping the end-to-end run of llmchaos against both reference apps; make test runs it")
	}
	t.Parallel()
	base := t.TempDir()
	runs := []*appRun{
		{app: "gateway", wantCode: exitOK},
		{app: "naive", wantCode: exitBreached, wantBreached: []string{"availability(outage) >= 0.95"}},
		// The gateway's file, with the app replaced by --sut-cmd.
		{app: "gateway", sutCmd: "naive", wantCode: exitBreached, wantBreached: []string{"availability(outage) >= 0.95"}},
	}
	t.Run("run", func(t *testing.T) {
		for _, r := range runs {
			name := r.app
			if r.sutCmd != "" {
				name += " with --sut-cmd " + r.sutCmd
			}
			t.Run(name, func(t *testing.T) {
				t.Parallel()
				dir := filepath.Join(base, strings.ReplaceAll(name, " ", "_"))
				if err := os.Mkdir(dir, 0o755); err != nil {
					t.Fatal(err)
				}
				file := writeScenario(t, dir, scenarioSpec{
					Name: "cli-dropout", Description: "The primary refuses connections; the app must fail over.",
					Command: []string{binary(t, "./examples/"+r.app)}, Timeline: dropoutTimeline, SLOs: dropoutSLOs,
				})
				r.out = filepath.Join(dir, "report")
				args := []string{"run", "--progress", "plain", "--out", r.out, file}
				if r.sutCmd != "" { // this one with the flags after the file, as --flag=value
					args = []string{"run", file, "--sut-cmd=" + binary(t, "./examples/"+r.sutCmd), "--progress=plain", "--out=" + r.out}
				}
				r.code, r.stdout, r.stderr = cli(context.Background(), args...)
				checkRun(t, r)
			})
		}
	})
	if t.Failed() {
		return
	}
	gw, naive := runs[0], runs[1] // runs[2] is checked by checkRun alone

	t.Run("progress tells the apps apart", func(t *testing.T) {
		// The outage line is printed at the outage's end: the naive app's failures show.
		if !gw.progressOutageParsed || !naive.progressOutageParsed {
			t.Fatal("no outage progress line")
		}
		t.Logf("success at the outage's end: gateway %.1f%%, naive %.1f%%", gw.progressOutageRate, naive.progressOutageRate)
		if gw.progressOutageRate < 90 || naive.progressOutageRate >= 90 {
			t.Errorf("success at the outage's end: gateway %.1f%% (want >= 90), naive %.1f%% (want < 90)",
				gw.progressOutageRate, naive.progressOutageRate)
		}
	})

	t.Run("report prints markdown", func(t *testing.T) {
		code, stdout, stderr := cli(context.Background(), "report", naive.out)
		if code != exitOK {
			t.Fatalf("exit code %d; stderr:\n%s", code, stderr)
		}
		if !strings.HasPrefix(stdout, "# ") || !strings.Contains(stdout, "## cli-dropout") {
			t.Errorf("not a markdown report of cli-dropout:\n%s", stdout)
		}
		_, breached, _ := strings.Cut(stdout, "### Breached SLOs")
		if !strings.Contains(breached, "availability(outage) &gt;= 0.95") {
			t.Errorf("the markdown's Breached SLOs section does not name availability(outage):\n%s", stdout)
		}
	})
	t.Run("report prints html and junit", func(t *testing.T) {
		for format, want := range map[string]string{"html": "<!DOCTYPE html>", "junit": "<testsuites", "json": `"scenario": "cli-dropout"`} {
			code, stdout, stderr := cli(context.Background(), "report", "--format", format, gw.out)
			if code != exitOK || !strings.Contains(stdout, want) {
				t.Errorf("--format %s: exit %d, stdout without %q (stderr %s):\n%.300s", format, code, want, stderr, stdout)
			}
		}
		if code, _, stderr := cli(context.Background(), "report", "--format", "pdf", gw.out); code != exitBadInput {
			t.Errorf("--format pdf: exit %d, want %d; stderr:\n%s", code, exitBadInput, stderr)
		}
	})
	t.Run("report --out writes every format", func(t *testing.T) {
		site := filepath.Join(base, "site")
		code, stdout, stderr := cli(context.Background(), "report", "--out", site, naive.out)
		if code != exitOK {
			t.Fatalf("exit code %d; stderr:\n%s", code, stderr)
		}
		for _, name := range []string{"cli-dropout.json", "summary.json", "index.html", "report.md", "junit.xml"} {
			p := filepath.Join(site, name)
			if !strings.Contains(stdout, "wrote "+p) {
				t.Errorf("stdout does not say it wrote %s:\n%s", p, stdout)
			}
			if _, err := os.Stat(p); err != nil {
				t.Error(err)
			}
		}
		html := readFile(t, filepath.Join(site, "index.html"))
		if !strings.Contains(html, "cli-dropout") || !strings.Contains(html, "availability(outage) &gt;= 0.95") {
			t.Errorf("index.html does not show the scenario and its breached SLO")
		}
		if got := readReport(t, filepath.Join(site, "cli-dropout.json")).breached(); !equalStrings(got, naive.wantBreached) {
			t.Errorf("re-rendered report breaches %q, want %q", got, naive.wantBreached)
		}
	})

	t.Run("diff", func(t *testing.T) {
		cases := []struct {
			name       string
			args       []string
			want       int
			wantStdout string
		}{
			{"a report with itself", []string{"diff", gw.out, gw.out}, exitOK, "0 regression(s)"},
			{"passing then failing", []string{"diff", gw.out, naive.out}, exitBreached, "availability(outage)"},
			{"passing then failing, markdown", []string{"diff", "--format", "markdown", gw.out, naive.out}, exitBreached, "availability(outage)"},
			{"failing then passing", []string{"diff", naive.out, gw.out}, exitOK, "verdict: fail -> pass"},
			{"two report files", []string{"diff", filepath.Join(gw.out, "cli-dropout.json"), filepath.Join(naive.out, "cli-dropout.json")}, exitBreached, "pass -> fail"},
			{"unknown format", []string{"diff", "--format", "yaml", gw.out, gw.out}, exitBadInput, ""},
		}
		for _, c := range cases {
			code, stdout, stderr := cli(context.Background(), c.args...)
			if code != c.want || !strings.Contains(stdout, c.wantStdout) {
				t.Errorf("%s: exit %d (want %d), stdout should hold %q:\n%s\nstderr:\n%s", c.name, code, c.want, c.wantStdout, stdout, stderr)
			}
		}
	})
}

// checkRun checks one run's exit code, reports and progress output.
func checkRun(t *testing.T, r *appRun) {
	t.Helper()
	if r.code != r.wantCode {
		t.Fatalf("%s: exit code %d, want %d\nstdout:\n%s\nstderr:\n%s", r.app, r.code, r.wantCode, r.stdout, r.stderr)
	}
	if r.stderr != "" {
		t.Errorf("%s: stderr is not empty:\n%s", r.app, r.stderr)
	}

	// Reports: the JSON's verdict and breached SLOs, and both CI formats name them.
	rep := readReport(t, filepath.Join(r.out, "cli-dropout.json"))
	wantVerdict := "pass"
	if r.wantCode == exitBreached {
		wantVerdict = "fail"
	}
	if rep.Verdict != wantVerdict || rep.Interrupted {
		t.Errorf("%s: report verdict %q interrupted %v, want %q, not interrupted", r.app, rep.Verdict, rep.Interrupted, wantVerdict)
	}
	if got := rep.breached(); !equalStrings(got, r.wantBreached) {
		t.Errorf("%s: report breaches %q, want %q", r.app, got, r.wantBreached)
	}
	md := readFile(t, filepath.Join(r.out, "report.md"))
	junit := readFile(t, filepath.Join(r.out, "junit.xml"))
	for _, expr := range r.wantBreached {
		esc := strings.NewReplacer(">", "&gt;", "<", "&lt;").Replace(expr)
		if !strings.Contains(md, "**"+esc+"**") {
			t.Errorf("%s: report.md does not name the breached SLO %q", r.app, expr)
		}
		if !strings.Contains(junit, "SLO "+esc+" breached") {
			t.Errorf("%s: junit.xml has no failure for %q", r.app, expr)
		}
	}
	if len(r.wantBreached) == 0 && strings.Contains(junit, "<failure") {
		t.Errorf("%s: junit.xml has a failure for a passing run:\n%s", r.app, junit)
	}
	for _, name := range []string{"summary.json", "index.html"} {
		if _, err := os.Stat(filepath.Join(r.out, name)); err != nil {
			t.Errorf("%s: %v", r.app, err)
		}
	}

	// Progress: plain lines only, one per phase in order, then the verdict and the table.
	if strings.ContainsAny(r.stdout, "\r\x1b") {
		t.Errorf("%s: plain progress has a carriage return or an escape sequence: %q", r.app, r.stdout)
	}
	lines := strings.Split(r.stdout, "\n")
	var phases []string
	i := 0
	for ; i < len(lines); i++ {
		m := progressRE.FindStringSubmatch(lines[i])
		if m == nil {
			break
		}
		if m[1] != "cli-dropout" {
			t.Errorf("%s: progress line names %q: %q", r.app, m[1], lines[i])
		}
		phases = append(phases, m[2])
		if m[2] == "outage" {
			r.progressOutageRate, _ = strconv.ParseFloat(m[3], 64)
			r.progressOutageParsed = true
		}
	}
	if want := []string{"steady", "outage", "recovery"}; !equalStrings(phases, want) {
		t.Errorf("%s: progress lines for phases %q, want one each for %q:\n%s", r.app, phases, want, r.stdout)
	}
	rest := strings.Join(lines[i:], "\n")
	wantWord := "PASS"
	if r.wantCode == exitBreached {
		wantWord = "FAIL (1 of 2 SLOs breached)"
	}
	if !regexp.MustCompile(`(?m)^cli-dropout\s+` + regexp.QuoteMeta(wantWord) + `\n\nSCENARIO\s+VERDICT\s+TTF\s+FAILBACK\s+AMPLIFICATION\s+BREACHED\n` +
		`cli-dropout\s+(pass|FAIL)\s`).MatchString(rest) {
		t.Errorf("%s: after the progress lines, want the verdict %q and the summary table:\n%s", r.app, wantWord, rest)
	}
	if r.wantCode == exitBreached && !strings.Contains(rest, "availability(outage) >= 0.95 (observed ") {
		t.Errorf("%s: the summary table does not name the breached SLO:\n%s", r.app, rest)
	}
	if !strings.Contains(rest, "reports: "+r.out) {
		t.Errorf("%s: stdout does not say where the reports are:\n%s", r.app, rest)
	}
}

func equalStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
