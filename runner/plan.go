package runner

import (
	"cmp"
	"context"
	"fmt"
	"runtime"
	"slices"
	"sync"
	"time"

	"github.com/llmchaos/llmchaos/harness"
	"github.com/llmchaos/llmchaos/reports"
	"github.com/llmchaos/llmchaos/scenarios"
)

// MaxRepeat is the most runs Plan.Repeat may ask for per file.
const MaxRepeat = 100

// MaxParallel is the most runs Plan.Parallel may ask for at once. Each run holds its own
// app process, proxies, mocks and their ports: past a few per core, timing SLOs measure
// the machine rather than the app (BENCHMARKS.md).
const MaxParallel = 64

// Plan is how RunFiles schedules a set of files and judges a file's runs together. The
// zero Plan runs each file once, one after the other.
type Plan struct {
	// Repeat runs each file this many times (0 means 1; at most MaxRepeat).
	Repeat int
	// Strict judges repeated runs strictly: an SLO holds only when it held in every run
	// (a flaky SLO fails). Without it the majority of the runs decides (a tie fails).
	Strict bool
	// Parallel runs up to this many runs at once (0 means 1, one after the other; at most
	// MaxParallel), each with its own proxies, mocks and app on its own ports. One at a
	// time, runs start in the order of the files (a file's repeats one after the other);
	// several at once, in rounds of one run per file, longest first (startOrder), at least
	// DefaultStartSpacing apart. The results are in the files' order whatever order the
	// runs start and end in.
	Parallel int
	// Shard runs only that share of the files (Shard.Of: balanced by expected duration);
	// the zero Shard runs them all.
	Shard Shard
}

// Validate says what is wrong with p, naming the field and its limits.
func (p Plan) Validate() error {
	if p.Repeat < 0 || p.Repeat > MaxRepeat {
		return fmt.Errorf("repeat %d: give 1 to %d runs per scenario (runner.MaxRepeat)", p.Repeat, MaxRepeat)
	}
	if p.Parallel < 0 || p.Parallel > MaxParallel {
		return fmt.Errorf("parallel %d: give 1 to %d runs at once (runner.MaxParallel)", p.Parallel, MaxParallel)
	}
	return p.Shard.Validate()
}

func (p Plan) parallel() int { return max(p.Parallel, 1) }

// DefaultParallel is the CLI's default Plan.Parallel: the CPU count (runtime.NumCPU),
// within 1 to MaxParallel. A scenario at the catalog's rates uses a small share of a core
// (BENCHMARKS.md), so one run per core leaves timing SLOs their headroom.
func DefaultParallel() int { return min(max(runtime.NumCPU(), 1), MaxParallel) }

func (p Plan) runs() int { return max(p.Repeat, 1) }

// Runs is how many runs the plan makes per file (Repeat, at least 1).
func (p Plan) Runs() int { return p.runs() }

// FileRuns is one file's runs, judged together.
type FileRuns struct {
	File *scenarios.File
	// Runs are the file's runs in run order: fewer than planned when ctx ended, the last
	// one then interrupted.
	Runs []Run
	// Report is the file's report: with one run that run's report; with several,
	// reports.Repeated over the runs' reports (one run shown in full, the verdict and
	// slos[].pass over every run, the Repeats summary).
	Report *reports.Report
}

// Run is what RunFiles keeps of one run once the OnOutcome hook returned: its report and
// its error, not its samples, so memory holds one run's samples at a time however many
// runs were made. WithOnOutcome sees the whole Outcome.
type Run struct {
	// Report is the run's own report (its verdict, its SLOs).
	Report *reports.Report
	// Err is why the run could not start or finish (Outcome.Err); nil when it ran.
	Err error
	// Redactor is the run's redaction (Outcome.Redactor): print Err through it.
	Redactor *reports.Redactor
	// Ran: the run started (Outcome.Result was set); false when it could not start.
	Ran bool
}

// Shown is the run Report shows in full: Repeats.ShownRun, or the only run.
func (f *FileRuns) Shown() Run {
	if f.Report != nil && f.Report.Repeats != nil {
		return f.Runs[f.Report.Repeats.ShownRun-1]
	}
	return f.Runs[0]
}

// Err returns the first run's error, nil when every run ran to its end.
func (f *FileRuns) Err() error {
	for _, r := range f.Runs {
		if r.Err != nil {
			return r.Err
		}
	}
	return nil
}

// RunFiles runs files as plan says and returns one FileRuns per file that started, in
// the order of files: only plan.Shard's share of them (all by default), each file
// plan.Repeat times, up to plan.Parallel runs at once (a bounded pool: a semaphore and a
// goroutine per run), a file's runs judged together (reports.Repeated, strict as plan
// says). Runs start in the order of the files, or with Parallel above 1 in rounds of one
// run per file, longest first (startOrder), at least DefaultStartSpacing apart; the
// results keep the files' order whatever order the runs start and end in, and with
// Parallel above 1 each run's report records it (reports.Report.Parallel). It stops
// starting runs when ctx ends and waits for the runs started. Every run goes through
// Execute with opts; the WithOnOutcome hook sees each run as it ends, one call at a time;
// WithOnProgress sees every running run's progress. An invalid plan is an error before
// anything runs.
func RunFiles(ctx context.Context, files []*scenarios.File, plan Plan, opts ...Option) ([]*FileRuns, error) {
	if err := plan.Validate(); err != nil {
		return nil, err
	}
	files = plan.Shard.Of(files)
	var cfg config
	for _, o := range opts {
		o(&cfg)
	}
	s := &scheduler{plan: plan, cfg: cfg, opts: opts, runs: make([][]*Run, len(files))}
	s.start(ctx, files)
	var out []*FileRuns
	for i, f := range files {
		fr := &FileRuns{File: f}
		for _, r := range s.runs[i] {
			fr.Runs = append(fr.Runs, *r)
		}
		if len(fr.Runs) == 0 {
			continue // not started: interrupted
		}
		fr.Report = judge(fr.Runs, plan.Strict)
		out = append(out, fr)
	}
	return out, nil
}

// scheduler runs RunFiles's runs through a pool of plan.Parallel slots.
type scheduler struct {
	plan   Plan
	cfg    config
	opts   []Option
	hookMu sync.Mutex // the hook is never called concurrently
	// runs[i] are file i's runs in run order, filled in as they end: a run's slot is
	// allocated when it starts, so a file's started runs are a prefix of its runs.
	runs [][]*Run
}

// start starts every run, in order, as slots free up, until ctx ends; it returns when
// every run started has ended.
func (s *scheduler) start(ctx context.Context, files []*scenarios.File) {
	sem := make(chan struct{}, s.plan.parallel())
	var sp spacer
	if s.plan.parallel() > 1 {
		sp.every = DefaultStartSpacing
	}
	var wg sync.WaitGroup
	defer wg.Wait()
	for _, j := range startOrder(files, s.plan.runs(), s.plan.parallel()) {
		i, n, f := j.file, j.run, files[j.file]
		select {
		case sem <- struct{}{}:
		case <-ctx.Done():
			return
		}
		if !sp.wait(ctx) {
			return
		}
		r := &Run{}
		s.runs[i] = append(s.runs[i], r)
		wg.Go(func() {
			defer func() { <-sem }()
			s.run(ctx, f, n+1, r)
		})
	}
}

// job is run run (from 0) of files[file].
type job struct{ file, run int }

// startOrder is the order in which the scheduler starts the runs of files, runs each.
// One at a time: the files' order, each file's runs together. With more than one slot,
// in rounds (every file's first run, then every file's second…) and the longest file
// first within a round (ExpectedDuration; ties keep the files' order): no long run starts
// last and holds the pool's end alone, and a file's repeats do not run side by side with
// their timelines in step (five runs of one file at once put their phase changes, and
// the bursts of work those bring, on the same instants; in make stability that broke
// verdicts that hold when the runs are spread). Either way a file's runs start in order.
func startOrder(files []*scenarios.File, runs, parallel int) []job {
	order := make([]int, len(files))
	for i := range order {
		order[i] = i
	}
	out := make([]job, 0, len(files)*runs)
	if parallel <= 1 {
		for _, i := range order {
			for n := range runs {
				out = append(out, job{i, n})
			}
		}
		return out
	}
	d := make([]time.Duration, len(files))
	for i, f := range files {
		d[i] = ExpectedDuration(f)
	}
	slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(d[b], d[a]) })
	for n := range runs {
		for _, i := range order {
			out = append(out, job{i, n})
		}
	}
	return out
}

// run is run n of f: Execute, the hook, and what RunFiles keeps of it, into r.
func (s *scheduler) run(ctx context.Context, f *scenarios.File, n int, r *Run) {
	opts := s.opts[:len(s.opts):len(s.opts)]
	if fn := s.cfg.onProgress; fn != nil {
		opts = append(opts, WithRunOptions(harness.WithProgress(func(p harness.Progress) { fn(f, n, p) })))
	}
	o := Execute(ctx, f, opts...)
	o.Run, o.Runs = n, s.plan.runs()
	if s.plan.parallel() > 1 && o.Report != nil {
		o.Report.Parallel = s.plan.parallel()
	}
	if s.cfg.onOutcome != nil {
		s.hookMu.Lock()
		s.cfg.onOutcome(o)
		s.hookMu.Unlock()
	}
	*r = Run{Report: o.Report, Err: o.Err, Redactor: o.Redactor, Ran: o.Result != nil}
}

// judge is the file's report over its runs.
func judge(runs []Run, strict bool) *reports.Report {
	reps := make([]*reports.Report, len(runs))
	for i, r := range runs {
		reps[i] = r.Report
	}
	return reports.Repeated(reps, strict)
}
