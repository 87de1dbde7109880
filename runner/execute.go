// Package runner carries a scenario file from end to end: it runs the file's scenario
// (harness.Run), evaluates its SLOs (harness/slo), and builds its report (reports.Build),
// with the redaction of secrets assembled in one place: one reports.Redactor per file,
// from the secret-name policy (reports.Secrets) over the app's env and this process's
// environment, used for the report, for the app's live log (WithAppLog), and handed to
// the caller on the Outcome for its own messages.
//
// RunFiles is the one place runs are scheduled: it takes the files and a Plan (how many
// runs per file, how repeated runs are judged) and returns each file's runs, judged
// together (reports.Repeated: the verdict and each SLO over the runs, flaky SLOs marked),
// in the order of the files. Execute is one run.
//
// runner imports scenarios, harness, harness/slo and reports; cmd/llmchaos and
// scenarios/suite call it. scenarios itself only turns files into scenarios.
package runner

import (
	"context"
	"io"
	"os"

	"github.com/llmchaos/llmchaos/harness"
	"github.com/llmchaos/llmchaos/harness/slo"
	"github.com/llmchaos/llmchaos/reports"
	"github.com/llmchaos/llmchaos/scenarios"
)

// Outcome is one scenario file run and judged.
type Outcome struct {
	File *scenarios.File
	// Result is nil when the harness could not start the run (see Err).
	Result *harness.Result
	// Verdict is set whenever Result is.
	Verdict slo.Verdict
	// Report is always set: when the run could not start or stopped on an error, it fails
	// and says why (reports.WithRunError), so the scenario shows in every report format.
	Report *reports.Report
	// Err is why the run could not start or finish: a *harness.ScenarioError (bad
	// input), a *harness.RunError, or the context's error when it was interrupted (Result
	// then holds the partial run).
	Err error
	// Redactor is the run's one redaction: the report and the app's live log went
	// through it. Pass anything else you print about the run (Err with the app's log
	// tail, ...) through it too.
	Redactor *reports.Redactor
	// Run is the run's number among its file's runs (1-based) and Runs how many RunFiles
	// planned; both 0 from Execute alone.
	Run, Runs int
}

// Option configures Execute.
type Option func(*config)

type config struct {
	runOpts    []harness.RunOption
	appLog     io.Writer
	onOutcome  func(*Outcome)
	onProgress func(f *scenarios.File, run int, p harness.Progress)
}

// WithRunOptions passes options to harness.Run (Toxiproxy, a SUT override, progress, ...).
func WithRunOptions(opts ...harness.RunOption) Option {
	return func(c *config) { c.runOpts = append(c.runOpts, opts...) }
}

// WithAppLog copies the app's stdout and stderr to w as they arrive, redacted (one
// whole line per write).
func WithAppLog(w io.Writer) Option { return func(c *config) { c.appLog = w } }

// WithOnOutcome has RunFiles call fn with each run's whole Outcome as the run ends
// (progress, errors, checks that need the samples), one call at a time. Execute ignores it.
func WithOnOutcome(fn func(*Outcome)) Option { return func(c *config) { c.onOutcome = fn } }

// WithOnProgress has RunFiles call fn with the progress of every running run: the file,
// the run's number among the file's runs (1-based) and the harness's update. With
// Plan.Parallel above 1, calls for different runs come concurrently. Execute ignores it
// (pass harness.WithProgress through WithRunOptions).
func WithOnProgress(fn func(f *scenarios.File, run int, p harness.Progress)) Option {
	return func(c *config) { c.onProgress = fn }
}

// Execute runs f's scenario, evaluates its SLOs and builds its report. Secret values
// (the values of secret-looking variables in the app's env and in this process's
// environment, and every credential shape reports knows) are redacted from the report
// and from the app's log; Outcome.Redactor is the redactor that did it.
func Execute(ctx context.Context, f *scenarios.File, opts ...Option) *Outcome {
	var cfg config
	for _, o := range opts {
		o(&cfg)
	}
	red := reports.NewRedactor(reports.Secrets(f.Scenario.SUT.Env, os.Environ())...)
	runOpts := cfg.runOpts
	if cfg.appLog != nil {
		runOpts = append(runOpts[:len(runOpts):len(runOpts)], harness.WithSUTLogWriter(red.Writer(cfg.appLog)))
	}
	out := &Outcome{File: f, Redactor: red}
	res, err := harness.Run(ctx, f.Scenario, runOpts...)
	out.Result, out.Err = res, err
	v := slo.Verdict{Scenario: f.Scenario.Name}
	if res != nil {
		var everr error
		v, everr = slo.EvaluateStrings(res, f.Scenario.SLOs)
		if everr != nil && out.Err == nil {
			out.Err = everr
		}
		out.Verdict = v
	}
	bopts := []reports.BuildOption{reports.WithDescription(f.Scenario.Description), reports.WithRedactor(red)}
	if out.Err != nil && ctx.Err() == nil {
		bopts = append(bopts, reports.WithRunError(out.Err))
	}
	out.Report = reports.Build(res, v, bopts...)
	return out
}
