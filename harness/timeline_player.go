package harness

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/llmchaos/llmchaos/harness/fault"
)

// playTimeline plays tl against env's upstreams in real time: phase i starts at start
// plus the durations of the phases before it. At each boundary it reverts the previous
// phase's faults (newest first) and then applies the next phase's, and it reports what it
// did through emit (which may be nil), in order, from the calling goroutine:
//
//   - EventPhaseEnd of the phase that ends, then EventFaultReverted for each of its faults,
//     then EventPhaseStart of the next phase, then EventFaultApplied for each of its faults.
//     EventPhaseEnd and the next EventPhaseStart carry the same instant: the boundary as
//     the timer observed it, so phase spans are contiguous. Fault events carry the instant
//     their Apply or revert began, and Took, how long it took to return: the fault took
//     effect (or ended) on the wire somewhere in [At, At+Took]. Stamping the start is the
//     conservative reading: ttf and failback are measured from it, so a slow Apply (a
//     loaded machine) makes them read longer, never shorter, than what the app did.
//   - Applied and reverted events of one fault share a FaultID ("p<phase>.f<index>"), the
//     Upstream, the FaultKind (Fault.Kind) and Detail (Fault.String).
//   - A fault that fails to apply gets EventFaultError (Detail: the error) and no
//     reverted event; a revert that fails gets EventFaultError before its
//     EventFaultReverted. Such failures do not stop the timeline; they are returned
//     joined once it has ended.
//
// Faults get a context carrying their phase's duration (fault.ContextWithPhaseDuration) that
// ends with ctx. A fault listed in two consecutive phases is reverted at the boundary and
// applied again (two applied/reverted pairs), not carried over.
//
// Boundaries are waited for with a timer; a start in the past plays the phases whose
// boundaries have passed at once. When ctx ends, playTimeline reverts every fault still
// active, emits their events and the current phase's EventPhaseEnd, and returns ctx.Err().
// The timeline is trusted to be valid (Run checks it first with ValidateScenario); a
// fault naming an upstream env does not hold gets EventFaultError.
func playTimeline(ctx context.Context, env *Env, tl Timeline, start time.Time, emit func(Event)) error {
	if emit == nil {
		emit = func(Event) {}
	}
	p := &player{env: env, emit: emit}
	timer := time.NewTimer(time.Until(start))
	defer timer.Stop()
	boundary := start
	for i, ph := range tl.Phases {
		if err := waitBoundary(ctx, timer, boundary); err != nil {
			if i > 0 {
				p.endPhase(tl.Phases[i-1].Name, time.Now())
			}
			return err
		}
		now := time.Now()
		if i > 0 {
			p.endPhase(tl.Phases[i-1].Name, now)
		}
		emit(Event{At: now, Kind: EventPhaseStart, Phase: ph.Name})
		pctx := fault.ContextWithPhaseDuration(ctx, ph.Duration)
		for j, fs := range ph.Faults {
			p.apply(pctx, i, j, ph.Name, fs)
		}
		boundary = boundary.Add(ph.Duration)
	}
	if n := len(tl.Phases); n > 0 {
		err := waitBoundary(ctx, timer, boundary)
		p.endPhase(tl.Phases[n-1].Name, time.Now())
		if err != nil {
			return err
		}
	}
	return errors.Join(p.errs...)
}

// waitBoundary waits until at (at once if it has passed) or until ctx ends.
func waitBoundary(ctx context.Context, t *time.Timer, at time.Time) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	t.Reset(time.Until(at))
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

type activeFault struct {
	id, phase, upstream string
	fault               fault.Fault
	revert              func() error
}

type player struct {
	env    *Env
	emit   func(Event)
	active []activeFault
	errs   []error
}

func (p *player) apply(ctx context.Context, i, j int, phase string, fs FaultSpec) {
	id := fmt.Sprintf("p%d.f%d", i, j)
	ev := Event{Phase: phase, FaultID: id, Upstream: fs.Upstream, FaultKind: fs.Fault.Kind(), Detail: fs.Fault.String()}
	var revert func() error
	err := fmt.Errorf("the run has no upstream %q", fs.Upstream)
	ev.At = time.Now()
	if u, ok := p.env.Upstream(fs.Upstream); ok {
		revert, err = fs.Fault.Apply(ctx, u.Target())
	}
	ev.Took = time.Since(ev.At)
	if err != nil {
		err = fmt.Errorf("phase %q: apply %s on %s: %w", phase, fs.Fault.String(), fs.Upstream, err)
		p.errs = append(p.errs, err)
		ev.Kind, ev.Detail = EventFaultError, err.Error()
		p.emit(ev)
		return
	}
	ev.Kind = EventFaultApplied
	p.emit(ev)
	p.active = append(p.active, activeFault{id: id, phase: phase, upstream: fs.Upstream, fault: fs.Fault, revert: revert})
}

// endPhase emits the phase's end at the boundary instant and reverts its faults, newest first.
func (p *player) endPhase(phase string, at time.Time) {
	p.emit(Event{At: at, Kind: EventPhaseEnd, Phase: phase})
	for k := len(p.active) - 1; k >= 0; k-- {
		a := p.active[k]
		began := time.Now()
		var err error
		if a.revert != nil {
			err = a.revert()
		}
		ev := Event{At: began, Took: time.Since(began), Phase: a.phase, FaultID: a.id, Upstream: a.upstream, FaultKind: a.fault.Kind(), Detail: a.fault.String()}
		if err != nil {
			err = fmt.Errorf("phase %q: revert %s on %s: %w", a.phase, a.fault.String(), a.upstream, err)
			p.errs = append(p.errs, err)
			e := ev
			e.Kind, e.Detail = EventFaultError, err.Error()
			p.emit(e)
		}
		ev.Kind = EventFaultReverted
		p.emit(ev)
	}
	p.active = p.active[:0]
}
