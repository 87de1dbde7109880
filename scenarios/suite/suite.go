// Package suite turns a folder of scenario files into Ginkgo specs: one Describe per file,
// labelled with the file's labels (so `ginkgo --label-filter` selects them), and one It per
// app the file is run against. Adding a file adds a test.
//
// In a Ginkgo suite of your own:
//
//	var _ = suite.Specs("scenarios", suite.WithApp("myapp", []string{"./bin/myapp"}))
//
// With no WithApp, each file runs against its own sut and must meet all its SLOs. Each
// run goes through runner.Execute (run, evaluate, report, redaction).
//
// Each spec carries Ginkgo report entries, so `ginkgo --json-report` and
// `--junit-report` hold the figures: one per SLO (named "slo: EXPR", value
// slo.ReportEntry: expression, observed, pass; added by the slo matchers) and, with
// WithReportDir, one named ReportsEntry listing the report files.
package suite

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"sync"

	"github.com/onsi/ginkgo/v2"
	"github.com/onsi/gomega"

	"github.com/llmchaos/llmchaos/harness"
	"github.com/llmchaos/llmchaos/harness/slo"
	"github.com/llmchaos/llmchaos/reports"
	"github.com/llmchaos/llmchaos/runner"
	"github.com/llmchaos/llmchaos/scenarios"
)

// App is an app under test a file is run against, by the name its expect block uses.
type App struct {
	Name string
	// Command starts the app, replacing the file's sut.command (nil keeps it).
	Command []string
}

type config struct {
	apps      []App
	opts      []harness.RunOption
	reportDir string
	parallel  int
	skip      func(*scenarios.File) string
}

// Option configures Specs.
type Option func(*config)

// WithApp runs every file against the app too, and checks the file's expect block for
// app.Name: the expected verdict, and that the SLOs it lists are among the breached ones.
// Apps given together run side by side, in one spec per file.
func WithApp(name string, command []string) Option {
	return func(c *config) { c.apps = append(c.apps, App{Name: name, Command: command}) }
}

// WithRunOptions passes options to every harness.Run.
func WithRunOptions(opts ...harness.RunOption) Option {
	return func(c *config) { c.opts = append(c.opts, opts...) }
}

// WithSkip skips the spec of every file for which why returns a reason (Ginkgo's Skip,
// with that reason): a file that needs what this machine lacks, say a redis-server.
func WithSkip(why func(*scenarios.File) string) Option {
	return func(c *config) { c.skip = why }
}

// WithReportDir writes each run's reports into dir/<app>/<scenario>/.
func WithReportDir(dir string) Option { return func(c *config) { c.reportDir = dir } }

// Specs declares the specs for every scenario file in dir. Call it at the top level of a
// Ginkgo suite (var _ = suite.Specs(...)). A bad file fails the tree's construction with
// the loader's error (file, line, field).
func Specs(dir string, opts ...Option) bool {
	c := config{}
	for _, o := range opts {
		o(&c)
	}
	if len(c.apps) == 0 {
		c.apps = []App{{Name: ""}}
	}
	files, err := scenarios.LoadDir(dir)
	if err != nil {
		panic(fmt.Sprintf("suite.Specs(%q): %v", dir, err))
	}
	if c.parallel > 1 {
		parallelSpecs(files, c)
		return true
	}
	for _, f := range files {
		ginkgo.Describe(f.Scenario.Name, ginkgo.Label(f.Scenario.Labels...), func() {
			ginkgo.It(itName(c.apps), func(ctx ginkgo.SpecContext) {
				skipIfAsked(f, c)
				checkApps(f, c, runApps(ctx, f, c))
			})
		})
	}
	return true
}

// checkApps checks f's outcomes, one per app in c's order: each ran, its reports are
// written, its verdict is the one expected.
func checkApps(f *scenarios.File, c config, outcomes []*runner.Outcome) {
	for i, app := range c.apps {
		o := outcomes[i]
		gomega.Expect(o.Err).NotTo(gomega.HaveOccurred(), "%s against %s could not run", f.Path, appName(app))
		writeReport(c.reportDir, app, o)
		checkExpectation(f, app, o)
	}
}

// skipIfAsked skips the running spec when WithSkip's function gives f a reason.
func skipIfAsked(f *scenarios.File, c config) {
	if why := skipReason(f, c); why != "" {
		ginkgo.Skip(why)
	}
}

// skipReason is WithSkip's reason to skip f, "" to run it.
func skipReason(f *scenarios.File, c config) string {
	if c.skip == nil {
		return ""
	}
	return c.skip(f)
}

// runApps runs f against every app side by side.
func runApps(ctx context.Context, f *scenarios.File, c config) []*runner.Outcome {
	out := make([]*runner.Outcome, len(c.apps))
	var wg sync.WaitGroup
	for i, app := range c.apps {
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer ginkgo.GinkgoRecover()
			opts := append([]harness.RunOption{}, c.opts...)
			if app.Command != nil {
				opts = append(opts, harness.WithSUTOverride(app.Command, ""))
			}
			out[i] = runner.Execute(ctx, f, runner.WithRunOptions(opts...))
		}()
	}
	wg.Wait()
	return out
}

// checkExpectation asserts the verdict the file expects for app, with Gomega's SLO matchers.
func checkExpectation(f *scenarios.File, app App, o *runner.Outcome) {
	exp, ok := f.Expect[app.Name]
	if app.Name == "" || !ok {
		exp = scenarios.Expectation{Pass: true}
	}
	if exp.Pass {
		gomega.Expect(o.Result).To(slo.MeetSLOs(f.Scenario.SLOs...), "%s against %s: %s", f.Path, appName(app), exp.Why)
		return
	}
	gomega.Expect(o.Result).NotTo(slo.MeetSLOs(f.Scenario.SLOs...), "%s against %s should fail: %s", f.Path, appName(app), exp.Why)
	for _, b := range exp.Breached {
		gomega.Expect(o.Result).NotTo(slo.MeetSLOs(b), "%s against %s: %q should be breached (%s)", f.Path, appName(app), b, exp.Why)
	}
}

func itName(apps []App) string {
	var names []string
	for _, a := range apps {
		names = append(names, appName(a))
	}
	return "against " + strings.Join(names, " and ")
}

func appName(a App) string {
	if a.Name == "" {
		return "its sut"
	}
	return a.Name
}

func appDir(name string) string {
	if name == "" {
		return "sut"
	}
	return name
}

// writeReport writes o's reports into dir/<app>/<scenario>/ when dir is set.
func writeReport(dir string, app App, o *runner.Outcome) {
	if dir == "" || o.Report == nil {
		return
	}
	paths, err := reports.WriteAll(filepath.Join(dir, appDir(app.Name), reports.Slug(o.Report.Scenario)), []*reports.Report{o.Report})
	gomega.Expect(err).NotTo(gomega.HaveOccurred(), "writing the reports")
	ginkgo.AddReportEntry(ReportsEntry, ReportPaths{App: appName(app), Paths: paths})
}

// ReportsEntry names the Ginkgo report entry that lists the report files a spec wrote
// (with WithReportDir): its value is a ReportPaths.
const ReportsEntry = "llmchaos reports"

// ReportPaths is the value of the ReportsEntry report entry: the app the scenario ran
// against and the files written (<scenario>.json, summary.json, index.html, report.md,
// junit.xml).
type ReportPaths struct {
	App   string   `json:"app"`
	Paths []string `json:"paths"`
}

// String lists the paths.
func (r ReportPaths) String() string { return r.App + ": " + strings.Join(r.Paths, ", ") }
