package scenarios

import (
	"context"
	"os"
	"strings"

	"github.com/llmchaos/llmchaos/harness"
	"github.com/llmchaos/llmchaos/harness/slo"
	"github.com/llmchaos/llmchaos/reports"
)

// Outcome is one scenario file run and judged.
type Outcome struct {
	File *File
	// Result is nil when the harness could not start the run (see Err).
	Result *harness.Result
	// Verdict is set whenever Result is.
	Verdict slo.Verdict
	// Report is always set: when the run could not start or stopped on an error, it fails
	// and says why (reports.WithRunError), so the scenario shows in every report format.
	Report *reports.Report
	// Err is why the run could not start or finish: a *harness.RunError, or the context's
	// error when it was interrupted (Result then holds the partial run).
	Err error
}

// Execute runs f's scenario, evaluates its SLOs and builds its report. Secret values
// (API keys in the environment and in the SUT's env) are redacted from the report.
func Execute(ctx context.Context, f *File, opts ...harness.RunOption) *Outcome {
	out := &Outcome{File: f}
	res, err := harness.Run(ctx, f.Scenario, opts...)
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
	bopts := []reports.BuildOption{
		reports.WithDescription(f.Scenario.Description),
		reports.WithSecrets(Secrets(f.Scenario.SUT.Env, os.Environ())...),
	}
	if out.Err != nil && ctx.Err() == nil {
		bopts = append(bopts, reports.WithRunError(out.Err))
	}
	out.Report = reports.Build(res, v, bopts...)
	return out
}

// Secrets returns the values of variables whose names look secret (API keys, tokens,
// passwords), from the SUT's env and from environ ("K=V" lines), for redaction.
func Secrets(env map[string]string, environ []string) []string {
	var out []string
	add := func(k, v string) {
		if v != "" && looksSecret(k) {
			out = append(out, v)
		}
	}
	for k, v := range env {
		add(k, v)
	}
	for _, kv := range environ {
		k, v, _ := strings.Cut(kv, "=")
		add(k, v)
	}
	return out
}

func looksSecret(name string) bool {
	n := strings.ToUpper(name)
	for _, s := range []string{"API_KEY", "APIKEY", "TOKEN", "SECRET", "PASSWORD", "AUTH"} {
		if strings.Contains(n, s) {
			return true
		}
	}
	return false
}
