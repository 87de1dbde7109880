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
	"github.com/llmchaos/llmchaos/runner"
	"github.com/llmchaos/llmchaos/scenarios"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

const runExample = `  llmchaos run scenarios/provider-dropout.yaml --out chaos-report
  llmchaos run scenarios/ --sut-cmd ./bin/myapp -o chaos-report -l headline
  llmchaos run --sut-url http://127.0.0.1:9000 --toxiproxy http://127.0.0.1:8474 scenarios/provider-dropout.yaml`

// runFlags is what llmchaos run's flags say.
type runFlags struct {
	out, toxiproxy, sutCmd, sutURL, label, progress string
	appLog                                          bool
}

func (r *runFlags) register(fs *pflag.FlagSet) {
	fs.StringVarP(&r.out, "out", "o", "chaos-report", "folder for the reports (JSON per scenario, summary.json, index.html, report.md, junit.xml)")
	fs.StringVar(&r.toxiproxy, "toxiproxy", "", "URL of an external Toxiproxy server's API (default: embedded in-process)")
	fs.StringVar(&r.sutCmd, "sut-cmd", "", "command that starts the app, overriding the files' sut.command (split on spaces)")
	fs.StringVar(&r.sutURL, "sut-url", "", "URL of an app that is already running, overriding the files' sut")
	fs.StringVarP(&r.label, "label", "l", "", "run only scenarios that have this label")
	fs.StringVarP(&r.progress, "progress", "p", "auto", "live progress: auto (a status line on a terminal, plain lines otherwise), plain, or off")
	fs.BoolVar(&r.appLog, "app-log", false, "copy the app's stdout and stderr to this terminal's stderr")
}

// check refuses flags that cannot work, before anything loads or starts: --sut-cmd with
// --sut-url, URLs that are not http(s) URLs. The --out folder is checked (and created)
// once the scenario files have loaded, before any of them runs, so a bad file leaves no
// folder behind.
func (r *runFlags) check() error {
	if r.sutCmd != "" && r.sutURL != "" {
		return errors.New("give --sut-cmd (start the app) or --sut-url (reach an app already running), not both")
	}
	if err := harness.CheckRunOptions(r.runOptions()...); err != nil {
		return fmt.Errorf("--toxiproxy or --sut-url: %w", err)
	}
	return nil
}

// runOptions are the harness options the flags ask for, for every file.
func (r *runFlags) runOptions() []harness.RunOption {
	var opts []harness.RunOption
	if r.toxiproxy != "" {
		opts = append(opts, harness.WithToxiproxy(r.toxiproxy))
	}
	if r.sutCmd != "" || r.sutURL != "" {
		opts = append(opts, harness.WithSUTOverride(absProgram(strings.Fields(r.sutCmd)), r.sutURL))
	}
	return opts
}

func newRunCmd() *cobra.Command {
	var flags runFlags
	cmd := &cobra.Command{
		Use:               "run [flags] FILE.yaml|DIR...",
		Short:             "run scenarios against an app and write reports",
		Example:           runExample,
		ValidArgsFunction: completeScenarioFiles,
		RunE: func(cmd *cobra.Command, args []string) error {
			return result(cmdRun(cmd.Context(), &flags, args, cmd.OutOrStdout(), cmd.ErrOrStderr()))
		},
	}
	flags.register(cmd.Flags())
	_ = cmd.MarkFlagDirname("out")
	_ = cmd.RegisterFlagCompletionFunc("progress", cobra.FixedCompletions([]string{"auto", "plain", "off"}, cobra.ShellCompDirectiveNoFileComp))
	return cmd
}

func cmdRun(ctx context.Context, flags *runFlags, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprintln(stderr, "llmchaos run: give scenario files or folders, e.g. llmchaos run scenarios/")
		return exitBadInput
	}
	pr, err := newProgressPrinter(flags.progress, stdout)
	if err == nil {
		err = flags.check()
	}
	if err != nil {
		fmt.Fprintln(stderr, "llmchaos run:", err)
		return exitBadInput
	}
	files, err := scenarios.LoadPaths(args...)
	if err != nil {
		fmt.Fprintln(stderr, "llmchaos run:", err)
		return exitBadInput
	}
	files = withLabel(files, flags.label)
	if len(files) == 0 {
		fmt.Fprintf(stderr, "llmchaos run: no scenario has the label %q\n", flags.label)
		return exitBadInput
	}
	if err := reports.PrepareDir(flags.out); err != nil {
		fmt.Fprintln(stderr, "llmchaos run:", err)
		return exitBadInput
	}
	outcomes, code := runFiles(ctx, files, flags, pr, stderr)
	return finishRun(ctx, outcomes, flags.out, code, stdout, stderr)
}

// runFiles runs the files one after the other until ctx ends and returns their outcomes
// and the worst exit code. Each run's errors are printed through its own redactor.
func runFiles(ctx context.Context, files []*scenarios.File, flags *runFlags, pr *progressPrinter, stderr io.Writer) ([]*runner.Outcome, int) {
	code := exitOK
	var outcomes []*runner.Outcome
	for _, f := range files {
		if ctx.Err() != nil {
			break
		}
		opts := []runner.Option{runner.WithRunOptions(append(flags.runOptions(), harness.WithProgress(pr.update))...)}
		if flags.appLog {
			opts = append(opts, runner.WithAppLog(stderr))
		}
		o := runner.Execute(ctx, f, opts...)
		pr.finish(o)
		outcomes = append(outcomes, o)
		code = max(code, exitCodeOf(o))
		if o.Err != nil {
			// What the app prints (its log tail in errors) can hold its secrets.
			fmt.Fprintf(stderr, "llmchaos run: %s: %s\n", term(f.Path), o.Redactor.Clean(o.Err.Error()))
		}
	}
	return outcomes, code
}

// finishRun writes the reports and the summary and settles the exit code.
func finishRun(ctx context.Context, outcomes []*runner.Outcome, out string, code int, stdout, stderr io.Writer) int {
	var reps []*reports.Report
	for _, o := range outcomes {
		if o.Report != nil {
			reps = append(reps, o.Report)
		}
	}
	if len(reps) > 0 {
		paths, err := reports.WriteAll(out, reps)
		if err != nil {
			fmt.Fprintln(stderr, "llmchaos run: writing reports:", err)
			return exitCannotRun
		}
		printSummary(stdout, outcomes)
		fmt.Fprintf(stdout, "\nreports: %s (open %s)\n", out, firstWith(paths, reports.FileHTML))
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
func exitCodeOf(o *runner.Outcome) int {
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
