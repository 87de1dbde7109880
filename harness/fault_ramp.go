package harness

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/llmchaos/llmchaos/mocks/control"
)

// DefaultRampSteps is the number of steps a Ramp takes when Steps is 0.
const DefaultRampSteps = 10

// Ramp is an error rate that changes over its phase: Fault (a protocol fault, usually a
// status) is applied to a Fraction of requests that goes from From to To in Steps equal
// steps, each held for Over/Steps (the first at once, the last, To, until the end).
// Over is the ramp's span; 0 means the whole phase (PlayTimeline passes it through
// the context; see ContextWithPhaseDuration). A fraction of 0 clears the fault for that
// step. A goroutine moves the steps; it stops, clearing the fault, on revert or when the
// Apply context ends.
type Ramp struct {
	From, To float64
	Steps    int
	Fault    control.Fault
	Over     time.Duration
}

var (
	_ Fault      = (*Ramp)(nil)
	_ TimeScaler = (*Ramp)(nil)
)

// Kind is "ramp".
func (*Ramp) Kind() string { return "ramp" }

// String is like "ramp status 503 from 0% to 35% in 5 steps".
func (r *Ramp) String() string {
	inner := (&ProtocolFault{Fault: r.Fault}).String()
	s := fmt.Sprintf("ramp %s from %g%% to %g%% in %d steps", inner, r.From*100, r.To*100, r.steps())
	if r.Over > 0 {
		s += " over " + r.Over.String()
	}
	return s
}

// ScaledBy returns a copy with Over multiplied by factor.
func (r *Ramp) ScaledBy(factor float64) Fault {
	c := *r
	c.Over = scaleDuration(r.Over, factor)
	return &c
}

func (r *Ramp) steps() int {
	if r.Steps <= 0 {
		return DefaultRampSteps
	}
	return r.Steps
}

// fraction is the fraction of step i.
func (r *Ramp) fraction(i int) float64 {
	n := r.steps()
	if n == 1 {
		return r.From
	}
	return r.From + (r.To-r.From)*float64(i)/float64(n-1)
}

// Apply sets the first step's fraction on u's mock and starts the goroutine that moves
// the rest.
func (r *Ramp) Apply(ctx context.Context, u *Upstream) (func() error, error) {
	if u == nil || u.Mock == nil {
		return nil, errors.New("ramp: upstream has no mock")
	}
	if r.From < 0 || r.From > 1 || r.To < 0 || r.To > 1 {
		return nil, fmt.Errorf("ramp on %s: from %v and to %v must be within [0,1]", u.Name, r.From, r.To)
	}
	if r.Fault.FirstN != 0 || r.Fault.Fraction != 0 {
		return nil, fmt.Errorf("ramp on %s: the ramp sets the fault's fraction; leave fraction and first_n unset", u.Name)
	}
	span := r.Over
	if span <= 0 {
		d, ok := PhaseDuration(ctx)
		if !ok {
			return nil, fmt.Errorf("ramp on %s: no span: set Over, or apply it through PlayTimeline (which passes the phase duration)", u.Name)
		}
		span = d
	}
	rs := &rampState{r: r, u: u, stop: make(chan struct{}), done: make(chan struct{})}
	if err := rs.set(0); err != nil {
		return nil, err
	}
	go rs.run(ctx, span/time.Duration(r.steps()))
	return rs.revert, nil
}

type rampState struct {
	r    *Ramp
	u    *Upstream
	id   string // the active fault's id, "" when none
	errs []error

	stop     chan struct{}
	done     chan struct{}
	stopOnce sync.Once
}

// set moves to step i: the new fraction is set before the old one is cleared, so no
// request falls between them.
func (s *rampState) set(i int) error {
	frac := s.r.fraction(i)
	old := s.id
	s.id = ""
	if frac > 0 {
		f := s.r.Fault
		f.Fraction = frac
		id, err := s.u.Mock.SetFault(f)
		if err != nil {
			return fmt.Errorf("ramp on %s step %d (%g%%): %w", s.u.Name, i, frac*100, err)
		}
		s.id = id
	}
	if old != "" {
		s.u.Mock.ClearFault(old)
	}
	return nil
}

func (s *rampState) run(ctx context.Context, step time.Duration) {
	defer close(s.done)
	defer func() {
		if s.id != "" {
			s.u.Mock.ClearFault(s.id)
		}
	}()
	t := time.NewTimer(step)
	defer t.Stop()
	for i := 1; i < s.r.steps(); i++ {
		select {
		case <-s.stop:
			return
		case <-ctx.Done():
			return
		case <-t.C:
		}
		if err := s.set(i); err != nil {
			s.errs = append(s.errs, err)
		}
		t.Reset(step)
	}
	select {
	case <-s.stop:
	case <-ctx.Done():
	}
}

func (s *rampState) revert() error {
	s.stopOnce.Do(func() { close(s.stop) })
	<-s.done
	return errors.Join(s.errs...)
}
