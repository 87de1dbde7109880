package harness

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"runtime/debug"
	"sync"
	"time"

	"github.com/llmchaos/llmchaos/mocks/control"
)

// Run runs one scenario and returns what it recorded:
//
//  1. it validates sc (a *ScenarioError when it cannot be run as written);
//  2. starts the upstreams (NewEnv, seeded by sc.Seed) and the app (StartSUT); failures
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
	cfg := runConfig{progressEvery: DefaultProgressInterval, lead: DefaultStartLead}
	for _, o := range opts {
		o(&cfg)
	}
	sc.SUT = cfg.applySUTOverride(sc.SUT)
	if err := ValidateScenario(sc); err != nil {
		return nil, err
	}

	envOpts := []EnvOption{}
	if sc.Seed != 0 {
		envOpts = append(envOpts, WithSeed(sc.Seed))
	}
	if cfg.toxiproxy != "" {
		envOpts = append(envOpts, WithToxiproxy(cfg.toxiproxy))
	}
	env, err := NewEnv(ctx, sc.Upstreams, append(envOpts, cfg.envOpts...)...)
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

	data := TemplateData{Scenario: sc.Name, Upstreams: env.TemplateUpstreams()}
	sutOpts := []SUTOption{}
	if cfg.sutOutput != nil {
		sutOpts = append(sutOpts, WithSUTLogWriter(cfg.sutOutput))
	}
	sut, err := StartSUT(ctx, sc.SUT, data, append(sutOpts, cfg.sutOpts...)...)
	if err != nil {
		if ctx.Err() != nil {
			return nil, fmt.Errorf("run %s interrupted while starting the app: %w (%v)", sc.Name, ctx.Err(), err)
		}
		return nil, &RunError{Stage: RunStageSUT, Err: err}
	}
	defer func() { _ = sut.Stop() }()
	if u, perr := url.Parse(sut.URL()); perr == nil {
		data.SUT.Addr = u.Host
	}

	driver, err := NewDriver(sc.Load, sut.URL(), data, cfg.driverOpts...)
	if err != nil {
		return nil, &RunError{Stage: RunStageDriver, Err: err}
	}

	r := newRunState(sc, cfg, sut)
	r.play(ctx, env, driver)

	res = &Result{
		Scenario:    sc.Name,
		Start:       r.start,
		End:         r.end,
		Interval:    driver.Interval(),
		Samples:     r.rec.Samples(),
		Events:      r.events,
		Journals:    make(map[string][]control.Attempt, len(env.Upstreams())),
		Kinds:       make(map[string]UpstreamKind, len(env.Upstreams())),
		Interrupted: r.interrupted(ctx),
	}
	res.Phases = actualSpans(r.events, r.planned, r.end)
	for _, u := range env.Upstreams() {
		res.Journals[u.Name] = u.Mock.Journal().Attempts()
		res.Kinds[u.Name] = u.Kind
	}
	_ = sut.Stop()
	res.SUTLog = sut.Log()

	switch {
	case r.failure != nil:
		return res, r.failure
	case r.timelineErr != nil && ctx.Err() == nil:
		return res, &RunError{Stage: RunStageTimeline, Err: fmt.Errorf("some faults could not be played (see the fault_error events): %w", r.timelineErr)}
	case ctx.Err() != nil:
		return res, fmt.Errorf("run %s interrupted after %v: %w", sc.Name, r.end.Sub(r.start).Round(time.Millisecond), ctx.Err())
	}
	return res, nil
}

// runState is one run in flight: what the goroutines of play share.
type runState struct {
	sc      Scenario
	cfg     runConfig
	sut     SUT
	start   time.Time
	end     time.Time
	planned []PhaseSpan
	total   time.Duration

	rec *Recorder

	mu          sync.Mutex
	events      []Event
	phase       string
	failure     error // the first reason the run stopped early (not ctx)
	timelineErr error // faults that failed to apply or revert

	phaseCh chan struct{} // a phase started: report progress now
}

func newRunState(sc Scenario, cfg runConfig, sut SUT) *runState {
	return &runState{sc: sc, cfg: cfg, sut: sut, total: sc.Timeline.Total(), rec: NewRecorder(), phaseCh: make(chan struct{}, 1)}
}

// play runs the timeline and the driver from one start instant and waits for both, while
// watching the app and reporting progress. It returns once every goroutine it started ended.
func (r *runState) play(ctx context.Context, env *Env, driver *Driver) {
	runCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	r.start = time.Now().Add(r.cfg.lead)
	r.planned = plannedSpans(r.sc.Timeline, r.start)
	r.phase = r.planned[0].Name
	phaseAt := phaseAtFunc(r.planned)

	var load sync.WaitGroup
	load.Go(func() {
		r.guard(cancel, "the timeline", func() error {
			// Faults that fail do not stop the timeline; they are reported after the run.
			err := PlayTimeline(runCtx, env, r.sc.Timeline, r.start, r.emit)
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
func (r *runState) sinkFor(cancel context.CancelFunc) func(Sample) {
	return func(s Sample) {
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
	case <-r.sut.Done():
	}
	cause := r.sut.Err()
	if cause == nil || errors.Is(cause, ErrSUTStopped) {
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
