package suite

import (
	"context"
	"fmt"

	"github.com/onsi/ginkgo/v2"
	"github.com/onsi/ginkgo/v2/types"

	"github.com/llmchaos/llmchaos/runner"
	"github.com/llmchaos/llmchaos/scenarios"
)

// WithParallel runs the files through the parallel runner (runner.RunFiles with
// Plan.Parallel n): every file against every app, up to n runs at once, before the
// files' specs check the outcomes, one spec per file as without it. The specs then live
// in one Ordered container (Ginkgo runs it on one process under ginkgo -p); a
// --label-filter selects the files run. n <= 1 runs each file in its own spec.
func WithParallel(n int) Option { return func(c *config) { c.parallel = n } }

// parallelSpecs declares one Ordered container whose BeforeAll runs every selected file
// against every app through runner.RunFiles, and one spec per file checking its outcomes.
func parallelSpecs(files []*scenarios.File, c config) {
	ginkgo.Describe(fmt.Sprintf("the scenario files, up to %d runs at once", c.parallel), ginkgo.Ordered, ginkgo.ContinueOnFailure, func() {
		outcomes := map[*scenarios.File][]*runner.Outcome{}
		ginkgo.BeforeAll(func(ctx ginkgo.SpecContext) {
			selected, err := labelled(files, ginkgo.GinkgoLabelFilter())
			if err != nil {
				ginkgo.Fail(err.Error())
			}
			outcomes = runAll(ctx, unskipped(selected, c), c)
		})
		for _, f := range files {
			ginkgo.Describe(f.Scenario.Name, ginkgo.Label(f.Scenario.Labels...), func() {
				ginkgo.It(itName(c.apps), func() {
					skipIfAsked(f, c)
					got, ok := outcomes[f]
					if !ok {
						ginkgo.Fail(f.Path + " was not run (interrupted?)")
					}
					checkApps(f, c, got)
				})
			})
		}
	})
}

// unskipped are the files WithSkip's function gives no reason to skip.
func unskipped(files []*scenarios.File, c config) []*scenarios.File {
	var out []*scenarios.File
	for _, f := range files {
		if skipReason(f, c) == "" {
			out = append(out, f)
		}
	}
	return out
}

// labelled are the files whose labels the Ginkgo label filter selects.
func labelled(files []*scenarios.File, filter string) ([]*scenarios.File, error) {
	match, err := types.ParseLabelFilter(filter)
	if err != nil {
		return nil, fmt.Errorf("--label-filter %q: %w", filter, err)
	}
	var out []*scenarios.File
	for _, f := range files {
		if match(f.Scenario.Labels) {
			out = append(out, f)
		}
	}
	return out, nil
}

// runAll runs every file against every app (a file's apps next to each other in the
// order, so they tend to run side by side) through runner.RunFiles, and returns each
// file's outcomes in the order of the apps.
func runAll(ctx context.Context, files []*scenarios.File, c config) map[*scenarios.File][]*runner.Outcome {
	var jobs []*scenarios.File
	for _, f := range files {
		for _, app := range c.apps {
			jobs = append(jobs, withApp(f, app))
		}
	}
	byJob := make(map[*scenarios.File]*runner.Outcome, len(jobs))
	_, err := runner.RunFiles(ctx, jobs, runner.Plan{Parallel: c.parallel},
		runner.WithRunOptions(c.opts...),
		runner.WithOnOutcome(func(o *runner.Outcome) { byJob[o.File] = o }))
	if err != nil {
		ginkgo.Fail(err.Error())
	}
	out := make(map[*scenarios.File][]*runner.Outcome, len(files))
	for i, f := range files {
		for j := range c.apps {
			if o, ok := byJob[jobs[i*len(c.apps)+j]]; ok {
				out[f] = append(out[f], o)
			}
		}
		if len(out[f]) != len(c.apps) {
			delete(out, f)
		}
	}
	return out
}

// withApp is f with its sut started by app's command, as harness.WithSUTOverride does
// (the file's sut.dir, env and readiness kept); f itself when app has no command.
func withApp(f *scenarios.File, app App) *scenarios.File {
	if app.Command == nil {
		g := *f
		return &g
	}
	g := *f
	g.Scenario.SUT.Handler = nil
	g.Scenario.SUT.URL = ""
	g.Scenario.SUT.Command = append([]string(nil), app.Command...)
	return &g
}
