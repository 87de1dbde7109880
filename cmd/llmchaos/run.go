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
	shard, memProfile                               string
	appLog, strict                                  bool
	repeat, parallel                                int
	// parallelSet: --parallel was given (else the default applies, shared apps run alone).
	parallelSet bool
}

func (r *runFlags) register(fs *pflag.FlagSet) {
	fs.StringVarP(&r.out, "out", "o", "chaos-report", "folder for the reports (JSON per scenario, summary.json, index.html, report.md, junit.xml)")
	fs.StringVar(&r.toxiproxy, "toxiproxy", "", "URL of an external Toxiproxy server's API (default: embedded in-process)")
	fs.StringVar(&r.sutCmd, "sut-cmd", "", "command that starts the app, overriding the files' sut.command (split on spaces)")
	fs.StringVar(&r.sutURL, "sut-url", "", "URL of an app that is already running, overriding the files' sut")
	fs.StringVarP(&r.label, "label", "l", "", "run only scenarios that have this label")
	fs.StringVarP(&r.progress, "progress", "p", "auto", "live progress: auto (a status line on a terminal, plain lines otherwise), plain, or off")
	fs.BoolVar(&r.appLog, "app-log", false, "copy the app's stdout and stderr to this terminal's stderr")
	fs.IntVar(&r.repeat, "repeat", 1, fmt.Sprintf("run each scenario N times (1 to %d): the report shows, per SLO, how many runs held it, the spread of its value and whether it is flaky; the majority of runs decides each SLO", runner.MaxRepeat))
	fs.IntVar(&r.parallel, "parallel", runner.DefaultParallel(), fmt.Sprintf("run up to N scenario runs at once (1 to %d), each with its own app, proxies and mocks on its own ports, the longest files first, %v apart; the default is the CPU count (%d here), or 1 when the runs would share an app already running (--sut-url, sut.url) or a fixed proxy address (listen); timing SLOs need CPU headroom, see BENCHMARKS.md", runner.MaxParallel, runner.DefaultStartSpacing, runner.DefaultParallel()))
	fs.StringVar(&r.shard, "shard", "", "run only share K/N of the files (e.g. 2/3), balanced by expected duration and the same on every machine; join the shards' --out folders with llmchaos report merge")
	fs.StringVar(&r.memProfile, "memprofile", "", "write a heap profile (go tool pprof) to this file when a run's load ends, before its mocks close: what the run holds at its largest (with several runs, the last to end)")
	fs.BoolVar(&r.strict, "strict", false, "with --repeat, an SLO holds only when it held in every run: a flaky SLO fails the run")
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

// plan is how the flags ask runner.RunFiles to schedule and judge the runs.
func (r *runFlags) plan() runner.Plan {
	sh, _ := runner.ParseShard(r.shard) // checked with the flags
	return runner.Plan{Repeat: r.repeat, Strict: r.strict, Parallel: r.parallel, Shard: sh}
}

// checkShard checks --shard.
func (r *runFlags) checkShard() error {
	if r.shard == "" {
		return nil
	}
	if _, err := runner.ParseShard(r.shard); err != nil {
		return fmt.Errorf("--shard: %w", err)
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
			flags.parallelSet = cmd.Flags().Changed("parallel")
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
	if err == nil && flags.repeat < 1 {
		err = fmt.Errorf("--repeat %d: give 1 to %d runs per scenario", flags.repeat, runner.MaxRepeat)
	}
	if err == nil && (flags.parallel < 1 || flags.parallel > runner.MaxParallel) {
		err = fmt.Errorf("--parallel %d: give 1 to %d runs at once", flags.parallel, runner.MaxParallel)
	}
	if err == nil {
		err = flags.checkShard()
	}
	if err == nil {
		err = flags.plan().Validate()
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
	if !flags.parallelSet && sharesAnApp(files, flags) {
		flags.parallel = 1
	}
	mp := newMemProfiler(flags.memProfile)
	done, code := runFiles(ctx, files, flags, pr, mp, stderr)
	if err := mp.Err(); err != nil {
		fmt.Fprintln(stderr, "llmchaos run:", err)
		code = max(code, exitCannotRun)
	}
	return finishRun(ctx, done, flags.out, shardWrite(flags.plan().Shard, files), code, stdout, stderr)
}

// sharesAnApp reports whether runs would share something that cannot be run twice at
// once: an app already running (--sut-url, a file's sut.url) would take every run's load
// and be configured with one run's upstreams; a fixed proxy address (listen) can be
// bound once. The default --parallel is then 1.
func sharesAnApp(files []*scenarios.File, flags *runFlags) bool {
	if flags.sutURL != "" {
		return true
	}
	for _, f := range files {
		if flags.sutCmd == "" && f.Scenario.SUT.URL != "" && len(f.Scenario.SUT.Command) == 0 {
			return true
		}
		for _, u := range f.Scenario.Upstreams {
			if u.Listen != "" {
				return true
			}
		}
	}
	return false
}

// shardWrite marks a shard's report set with the shard and the whole set's scenarios
// (reports.WithShard); nil without --shard.
func shardWrite(sh runner.Shard, files []*scenarios.File) []reports.WriteOption {
	if sh == (runner.Shard{}) {
		return nil
	}
	info := reports.ShardInfo{K: sh.K, N: sh.N, Scenarios: []string{}}
	for _, f := range files {
		info.Scenarios = append(info.Scenarios, f.Scenario.Name)
	}
	return []reports.WriteOption{reports.WithShard(info)}
}

// runFiles runs the files as the flags' plan says (runner.RunFiles) until ctx ends, with
// mp's heap profile (nil: none), and returns each file's runs and the worst exit code. Each run's errors are printed through
// its own redactor as it ends.
func runFiles(ctx context.Context, files []*scenarios.File, flags *runFlags, pr *progressPrinter, mp *memProfiler, stderr io.Writer) ([]*runner.FileRuns, int) {
	opts := []runner.Option{
		runner.WithRunOptions(flags.runOptions()...),
		runner.WithOnProgress(mp.wrap(pr.update(flags.plan().Runs()))),
		runner.WithOnOutcome(func(o *runner.Outcome) {
			pr.finish(o)
			if o.Err != nil {
				// What the app prints (its log tail in errors) can hold its secrets.
				fmt.Fprintf(stderr, "llmchaos run: %s%s: %s\n", term(o.File.Path), runLabel(o.Run, o.Runs), o.Redactor.Clean(o.Err.Error()))
			}
		}),
	}
	if flags.appLog {
		opts = append(opts, runner.WithAppLog(stderr))
	}
	done, err := runner.RunFiles(ctx, files, flags.plan(), opts...)
	if err != nil { // the plan was checked with the flags: not reached
		fmt.Fprintln(stderr, "llmchaos run:", err)
		return nil, exitBadInput
	}
	code := exitOK
	for _, fr := range done {
		code = max(code, exitCodeOf(fr))
	}
	return done, code
}

// finishRun writes the reports and the summary (with wopts) and settles the exit code. A
// shard's set is written even when the shard has no file, so that merge finds it.
func finishRun(ctx context.Context, done []*runner.FileRuns, out string, wopts []reports.WriteOption, code int, stdout, stderr io.Writer) int {
	var reps []*reports.Report
	for _, fr := range done {
		reps = append(reps, fr.Report)
	}
	if len(reps) > 0 || (wopts != nil && ctx.Err() == nil) {
		paths, err := reports.WriteAll(out, reps, wopts...)
		if err != nil {
			fmt.Fprintln(stderr, "llmchaos run: writing reports:", err)
			return exitCannotRun
		}
		printSummary(stdout, done)
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

// exitCodeOf maps one file's runs onto the CLI's exit codes: the worst run error (bad
// input 2, could not run 3), else 1 when the verdict over the runs failed (the majority
// of runs breached an SLO, or, with --strict, any run did).
func exitCodeOf(fr *runner.FileRuns) int {
	code := exitOK
	for _, r := range fr.Runs {
		var se *harness.ScenarioError
		switch {
		case errors.As(r.Err, &se):
			code = max(code, exitBadInput)
		case r.Err != nil:
			code = max(code, exitCannotRun)
		}
	}
	if code == exitOK && !fr.Report.Passed() {
		return exitBreached
	}
	return code
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
