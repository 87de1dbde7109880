package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/llmchaos/llmchaos/harness"
	"github.com/llmchaos/llmchaos/reports"
	"github.com/llmchaos/llmchaos/scenarios"
)

const runExample = `  llmchaos run scenarios/provider-dropout.yaml
  llmchaos run --out chaos-report --sut-cmd ./bin/myapp scenarios/
  llmchaos run --sut-url http://127.0.0.1:9000 --toxiproxy http://127.0.0.1:8474 scenarios/provider-dropout.yaml`

func cmdRun(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlags("run", "[flags] FILE.yaml|DIR...", runExample, stderr)
	out := fs.String("out", "chaos-report", "folder for the reports (JSON per scenario, summary.json, index.html, report.md, junit.xml)")
	toxiproxy := fs.String("toxiproxy", "", "URL of an external Toxiproxy server's API (default: embedded in-process)")
	sutCmd := fs.String("sut-cmd", "", "command that starts the app, overriding the files' sut.command (split on spaces)")
	sutURL := fs.String("sut-url", "", "URL of an app that is already running, overriding the files' sut")
	label := fs.String("label", "", "run only scenarios that have this label")
	progress := fs.String("progress", "auto", "live progress: auto (a status line on a terminal, plain lines otherwise), plain, or off")
	appLog := fs.Bool("app-log", false, "copy the app's stdout and stderr to this terminal's stderr")
	if code := parseFlags(fs, args, stdout); code >= 0 {
		return code
	}
	if fs.NArg() == 0 {
		fmt.Fprintln(stderr, "llmchaos run: give scenario files or folders, e.g. llmchaos run scenarios/")
		return exitBadInput
	}
	pr, err := newProgressPrinter(*progress, stdout)
	if err != nil {
		fmt.Fprintln(stderr, "llmchaos run:", err)
		return exitBadInput
	}
	files, err := scenarios.LoadPaths(fs.Args()...)
	if err != nil {
		fmt.Fprintln(stderr, "llmchaos run:", err)
		return exitBadInput
	}
	files = withLabel(files, *label)
	if len(files) == 0 {
		fmt.Fprintf(stderr, "llmchaos run: no scenario has the label %q\n", *label)
		return exitBadInput
	}

	var opts []harness.RunOption
	if *toxiproxy != "" {
		opts = append(opts, harness.WithToxiproxy(*toxiproxy))
	}
	if *sutCmd != "" || *sutURL != "" {
		opts = append(opts, harness.WithSUTOverride(absProgram(strings.Fields(*sutCmd)), *sutURL))
	}

	code := exitOK
	var reps []*reports.Report
	var outcomes []*scenarios.Outcome
	for _, f := range files {
		if ctx.Err() != nil {
			break
		}
		// What the app prints (its log tail in errors, --app-log) can hold its secrets.
		red := redactorFor(f)
		fileOpts := append(append([]harness.RunOption{}, opts...), harness.WithProgress(pr.update))
		if *appLog {
			fileOpts = append(fileOpts, harness.WithSUTLogWriter(&redactWriter{w: stderr, red: red}))
		}
		o := scenarios.Execute(ctx, f, fileOpts...)
		pr.finish(o)
		outcomes = append(outcomes, o)
		if o.Report != nil {
			reps = append(reps, o.Report)
		}
		code = max(code, exitCodeOf(o))
		if o.Err != nil {
			fmt.Fprintf(stderr, "llmchaos run: %s: %s\n", f.Path, red.Redact(o.Err.Error()))
		}
	}
	if len(reps) > 0 {
		paths, err := reports.WriteAll(*out, reps)
		if err != nil {
			fmt.Fprintln(stderr, "llmchaos run: writing reports:", err)
			return exitCannotRun
		}
		printSummary(stdout, outcomes)
		fmt.Fprintf(stdout, "\nreports: %s (open %s)\n", *out, firstWith(paths, reports.FileHTML))
	}
	if ctx.Err() != nil {
		if len(reps) > 0 {
			fmt.Fprintln(stderr, "llmchaos run: interrupted; the reports hold what ran, marked interrupted")
		} else {
			fmt.Fprintln(stderr, "llmchaos run: interrupted before a scenario ran; no reports written")
		}
		return max(code, exitCannotRun)
	}
	return code
}

// exitCodeOf maps one outcome onto the CLI's exit codes.
func exitCodeOf(o *scenarios.Outcome) int {
	var se *harness.ScenarioError
	switch {
	case errors.As(o.Err, &se):
		return exitBadInput
	case o.Err != nil:
		return exitCannotRun
	case !o.Verdict.Pass:
		return exitBreached
	}
	return exitOK
}

func withLabel(files []*scenarios.File, label string) []*scenarios.File {
	if label == "" {
		return files
	}
	var out []*scenarios.File
	for _, f := range files {
		for _, l := range f.Scenario.Labels {
			if l == label {
				out = append(out, f)
				break
			}
		}
	}
	return out
}

func firstWith(paths []string, suffix string) string {
	for _, p := range paths {
		if strings.HasSuffix(p, suffix) {
			return p
		}
	}
	return ""
}

// absProgram makes a relative program path (one with a slash) absolute, so --sut-cmd
// means what it says from the directory llmchaos was started in, whatever the file's sut.dir.
func absProgram(cmd []string) []string {
	if len(cmd) == 0 || !strings.Contains(cmd[0], "/") || filepath.IsAbs(cmd[0]) {
		return cmd
	}
	if abs, err := filepath.Abs(cmd[0]); err == nil {
		cmd[0] = abs
	}
	return cmd
}
