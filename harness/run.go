package harness

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"runtime/debug"
	"sync"
	"time"

	"github.com/llmchaos/llmchaos/harness/internal/sut"
	"github.com/llmchaos/llmchaos/harness/load"
	"github.com/llmchaos/llmchaos/harness/tmpl"
)

// Run runs one scenario and returns what it recorded:
//
//  1. it validates its options (CheckRunOptions) and sc (a *ScenarioError when it cannot
//     be run as written or as asked);
//  2. starts the upstreams (NewEnv, seeded by sc.Seed) and the app (process, handler or URL); failures
//     here are a *RunError (Stage RunStageEnv or RunStageSUT): the harness could not run;
//  3. plays the timeline (faults applied and reverted at the phase boundaries) while the
//     driver sends the load, both from the same start instant, over Timeline.Total();
//  4. collects the samples, the timeline's events, each mock's journal, the actual phase
//     spans and the app's log tail into the Result.
//
// If the app exits during the run, Run stops at once and returns the partial Result
// (Interrupted, an EventSUTExit event) with a *RunError of Stage RunStageSUTExit that
// carries the app's log tail. If ctx is cancelled (Ctrl-C), Run returns the partial Result
// (Interrupted) with an error wrapping ctx.Err(), so a partial report can still be written.
// In every case, when Run returns, the app, the proxies, the mocks and every goroutine
// Run started are gone.
func Run(ctx context.Context, sc Scenario, opts ...RunOption) (res *Result, err error) {
	cfg := newRunConfig(opts)
	if err := cfg.check(); err != nil {
		return nil, &ScenarioError{Scenario: sc.Name, Field: "options", Msg: err.Error()}
	}
	sc.SUT = cfg.applySUTOverride(sc.SUT)
	if err := ValidateScenario(sc); err != nil {
		return nil, err
	}
	if err := checkListen(sc.Upstreams, cfg.toxiproxy != ""); err != nil {
		return nil, asScenarioError(sc.Name, err)
	}
	env, err := NewEnv(ctx, sc.Upstreams, sc.Seed, opts...)
	if err != nil {
		if ctx.Err() != nil {
			return nil, fmt.Errorf("run %s interrupted while starting the upstreams: %w", sc.Name, ctx.Err())
		}
		return nil, &RunError{Stage: RunStageEnv, Err: err}
	}
	defer func() {
		if cerr := env.Close(); cerr != nil && err == nil {
			err = &RunError{Stage: RunStageCleanup, Err: fmt.Errorf("close the upstreams: %w", cerr)}
		}
	}()
	data := tmpl.Data{Scenario: sc.Name, Upstreams: env.TemplateUpstreams()}
	app, err := sut.Start(ctx, sc.SUT.internal(), data, cfg.sutOpts...)
	if err != nil {
		if ctx.Err() != nil {
			return nil, fmt.Errorf("run %s interrupted while starting the app: %w (%v)", sc.Name, ctx.Err(), err)
		}
		return nil, &RunError{Stage: RunStageSUT, Err: err}
	}
	defer func() { _ = app.Stop() }()
	if u, perr := url.Parse(app.URL()); perr == nil {
		data.SUT.Addr = u.Host
	}
	var dopts []load.DriverOption
	if env.HasRemote() {
		dopts = append(dopts, load.WithRunID(env.runID))
	}
	driver, err := load.NewDriver(sc.Load, app.URL(), data, dopts...)
	if err != nil {
		return nil, &RunError{Stage: RunStageDriver, Err: err}
	}
	r := newRunState(sc, cfg, app)
	r.play(ctx, env, driver)
	res = r.result(ctx, env, driver)
	return res, r.err(ctx)
}

// internal is the spec as the app lifecycle takes it.
func (s SUTSpec) internal() sut.Spec {
	return sut.Spec{Command: s.Command, Dir: s.Dir, Env: s.Env, Handler: s.Handler, URL: s.URL, Ready: sut.Ready(s.Ready)}
}

// result collects what the run recorded; it stops the app first, so its log is whole.
func (r *runState) result(ctx context.Context, env *Env, driver *load.Driver) *Result {
	res := &Result{
		Scenario:    r.sc.Name,
		Start:       r.start,
		End:         r.end,
		Interval:    driver.Interval(),
		Samples:     r.rec.Samples(),
		Events:      r.events,
		Kinds:       make(map[string]UpstreamKind, len(env.Upstreams())),
		Interrupted: r.interrupted(ctx),
	}
	res.Phases = actualSpans(r.events, r.planned, r.end)
	for _, u := range env.Upstreams() {
		res.Kinds[u.Name] = u.Kind
		if u.Mock == nil {
			continue // a remote mock (Journals checks it) or a real service (no journal)
		}
		if j := u.Mock.Journal(); j.Dropped() > 0 {
			n := j.Dropped()
			r.fail(func() {}, &RunError{Stage: RunStageJournal, Err: fmt.Errorf(
				"the journal of %s kept its newest %d attempts (its limit, control.DefaultMaxJournal) and dropped %d older ones: amplification and the retry metrics cannot be computed; shorten the run or lower its rate", u.Name, j.Limit(), n)})
		}
	}
	// A remote journal is read even after an interrupt: the partial report needs it.
	journals, err := env.Journals(context.WithoutCancel(ctx), env.IDPrefix(r.sc.Name))
	res.Journals = journals
	if err != nil {
		r.fail(func() {}, &RunError{Stage: RunStageJournal, Err: err})
	}
	_ = r.app.Stop()
	res.SUTLog = r.app.Log()
	return res
}

// err is why the run did not play to its end: the app, a panic, faults that could not be
// played, or ctx; nil when it did.
func (r *runState) err(ctx context.Context) error {
	switch {
	case r.failure != nil:
		return r.failure
	case r.timelineErr != nil && ctx.Err() == nil:
		return &RunError{Stage: RunStageTimeline, Err: fmt.Errorf("some faults could not be played (see the fault_error events): %w", r.timelineErr)}
	case ctx.Err() != nil:
		return fmt.Errorf("run %s interrupted after %v: %w", r.sc.Name, r.end.Sub(r.start).Round(time.Millisecond), ctx.Err())
	}
	return nil
}

// runState is one run in flight: what the goroutines of play share.
type runState struct {
	sc      Scenario
	cfg     runConfig
	app     sut.App
	start   time.Time
	end     time.Time
	planned []PhaseSpan
	total   time.Duration

	rec *load.Recorder

	mu          sync.Mutex
	events      []Event
	phase       string
	failure     error // the first reason the run stopped early (not ctx)
	timelineErr error // faults that failed to apply or revert

	phaseCh chan struct{} // a phase started: report progress now
}

func newRunState(sc Scenario, cfg runConfig, app sut.App) *runState {
	return &runState{sc: sc, cfg: cfg, app: app, total: sc.Timeline.Total(), rec: load.NewRecorder(), phaseCh: make(chan struct{}, 1)}
}

// play runs the timeline and the driver from one start instant and waits for both, while
// watching the app and reporting progress. It returns once every goroutine it started ended.
func (r *runState) play(ctx context.Context, env *Env, driver *load.Driver) {
	runCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	r.start = time.Now().Add(DefaultStartLead)
	r.planned = plannedSpans(r.sc.Timeline, r.start)
	r.phase = r.planned[0].Name
	phaseAt := phaseAtFunc(r.planned)

	var load sync.WaitGroup
	load.Go(func() {
		r.guard(cancel, "the timeline", func() error {
			// Faults that fail do not stop the timeline; they are reported after the run.
			err := playTimeline(runCtx, env, r.sc.Timeline, r.start, r.emit)
			if err != nil && runCtx.Err() == nil {
				r.mu.Lock()
				r.timelineErr = err
				r.mu.Unlock()
			}
			return nil
		})
	})
	load.Go(func() {
		r.guard(cancel, "the driver", func() error {
			err := driver.Run(runCtx, r.start, r.total, phaseAt, r.sinkFor(cancel))
			if err != nil && runCtx.Err() == nil {
				return &RunError{Stage: RunStageDriver, Err: err}
			}
			return nil
		})
	})

	loadDone := make(chan struct{})
	var watchers sync.WaitGroup
	watchers.Go(func() { r.watchSUT(cancel, loadDone) })
	if r.cfg.progress != nil {
		watchers.Go(func() {
			r.guard(cancel, "the progress callback", func() error { r.reportProgress(loadDone); return nil })
		})
	}
	load.Wait()
	r.end = time.Now()
	close(loadDone)
	watchers.Wait()
}

// guard runs fn, turning a panic into the run's failure, and stops the run on failure.
func (r *runState) guard(cancel context.CancelFunc, what string, fn func() error) {
	defer func() {
		if p := recover(); p != nil {
			r.fail(cancel, &RunError{Stage: RunStagePanic, Err: fmt.Errorf("panic in %s: %v\n%s", what, p, debug.Stack())})
		}
	}()
	if err := fn(); err != nil {
		r.fail(cancel, err)
	}
}

// fail records the first reason the run stops early and stops it.
func (r *runState) fail(cancel context.CancelFunc, err error) {
	r.mu.Lock()
	if r.failure == nil {
		r.failure = err
	}
	r.mu.Unlock()
	cancel()
}

// interrupted reports whether the run was stopped before its timeline ended.
func (r *runState) interrupted(ctx context.Context) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.failure != nil || ctx.Err() != nil
}

// emit records a timeline event.
func (r *runState) emit(e Event) {
	r.mu.Lock()
	r.events = append(r.events, e)
	if e.Kind == EventPhaseStart {
		r.phase = e.Phase
	}
	r.mu.Unlock()
	if e.Kind == EventPhaseStart {
		select {
		case r.phaseCh <- struct{}{}:
		default:
		}
	}
}

// sinkFor records the driver's samples; a panic while recording stops the run.
func (r *runState) sinkFor(cancel context.CancelFunc) func(load.Sample) {
	return func(s load.Sample) {
		r.rec.Record(s)
		if r.cfg.sampleHook != nil {
			r.guard(cancel, "the sample hook", func() error { r.cfg.sampleHook(s); return nil })
		}
	}
}

// watchSUT stops the run when the app exits before the load ended.
func (r *runState) watchSUT(cancel context.CancelFunc, loadDone <-chan struct{}) {
	select {
	case <-loadDone:
		return
	case <-r.app.Done():
	}
	cause := r.app.Err()
	if cause == nil || errors.Is(cause, sut.ErrStopped) {
		cause = errors.New("the app stopped during the run")
	}
	r.mu.Lock()
	r.events = append(r.events, Event{At: time.Now(), Kind: EventSUTExit, Phase: r.phase, Detail: firstLine(cause.Error())})
	r.mu.Unlock()
	r.fail(cancel, &RunError{Stage: RunStageSUTExit, Err: fmt.Errorf("the app exited during the run, so the run stopped: %w", cause)})
}

// reportProgress calls the progress callback every interval and at phase starts until
// loadDone, then once more with Done set.
func (r *runState) reportProgress(loadDone <-chan struct{}) {
	tick := time.NewTicker(r.cfg.progressEvery)
	defer tick.Stop()
	for {
		select {
		case <-loadDone:
			r.cfg.progress(r.progress(true))
			return
		case <-tick.C:
		case <-r.phaseCh:
		}
		r.cfg.progress(r.progress(false))
	}
}

func (r *runState) progress(done bool) Progress {
	elapsed := min(max(time.Since(r.start), 0), r.total)
	r.mu.Lock()
	phase := r.phase
	r.mu.Unlock()
	snap := r.rec.Snapshot()
	return Progress{
		Scenario: r.sc.Name, Phase: phase, Elapsed: elapsed, Total: r.total,
		Sent: snap.Recorded, OK: snap.OK, SuccessRate: snap.SuccessRate, Done: done,
	}
}

// firstLine is s up to its first newline.
func firstLine(s string) string {
	for i := 0; i < len(s); i++ {
		if s[i] == '\n' {
			return s[:i]
		}
	}
	return s
}
