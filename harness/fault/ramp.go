package fault

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
// Over is the ramp's span; 0 means the whole phase (harness.Run passes it through the
// context; see ContextWithPhaseDuration). A fraction of 0 clears the fault for that
// step. A goroutine moves the steps; it stops, clearing the fault, on revert or when the
// Apply context ends. In YAML and JSON it is the modifier ramp: {from, to, steps, over}
// on a protocol fault.
type Ramp struct {
	From  float64       `fault:"from"`
	To    float64       `fault:"to"`
	Steps int           `fault:"steps"`
	Over  time.Duration `fault:"over"`
	// Fault is the protocol fault whose share of requests the ramp moves; its own
	// fraction and first_n stay unset.
	Fault control.Fault
}

var (
	_ Fault       = (*Ramp)(nil)
	_ TimeScaler  = (*Ramp)(nil)
	_ Validator   = (*Ramp)(nil)
	_ MockPlayed  = (*Ramp)(nil)
	_ MockFaulter = (*Ramp)(nil)
)

// Kind is "ramp".
func (*Ramp) Kind() string { return "ramp" }

// String is like "ramp status 503 from 0% to 35% in 5 steps".
func (r *Ramp) String() string {
	inner := (&Protocol{Fault: r.Fault}).String()
	s := fmt.Sprintf("ramp %s from %g%% to %g%% in %d steps", inner, r.From*100, r.To*100, r.steps())
	if r.Over > 0 {
		s += " over " + r.Over.String()
	}
	return s
}

// ScaledBy returns a copy with Over multiplied by factor.
func (r *Ramp) ScaledBy(factor float64) Fault {
	c := *r
	c.Over = ScaleDuration(r.Over, factor)
	return &c
}

// MockModes is the inner fault's mode.
func (r *Ramp) MockModes() []control.Mode { return []control.Mode{r.Fault.Mode()} }

// MockFaults is the fault the ramp moves.
func (r *Ramp) MockFaults() []control.Fault { return []control.Fault{r.Fault} }

// Validate wants From and To within [0,1] (not both 0), Steps and Over >= 0, and an
// inner fault that is valid once the ramp sets its share of requests.
func (r *Ramp) Validate() error {
	switch {
	case r.From < 0 || r.From > 1:
		return &FieldError{Field: "ramp.from", Msg: fmt.Sprintf("%v: a share of requests in [0,1]", r.From)}
	case r.To < 0 || r.To > 1:
		return &FieldError{Field: "ramp.to", Msg: fmt.Sprintf("%v: a share of requests in [0,1]", r.To)}
	case r.From == 0 && r.To == 0:
		return &FieldError{Field: "ramp.to", Msg: "from and to are both 0: the fault would never hit a request"}
	case r.Steps < 0:
		return &FieldError{Field: "ramp.steps", Msg: fmt.Sprintf("%d: want 1 or more (0: %d)", r.Steps, DefaultRampSteps)}
	case r.Over < 0:
		return &FieldError{Field: "ramp.over", Msg: fmt.Sprintf("%v is negative", r.Over)}
	case r.Fault.Fraction != 0 || r.Fault.FirstN != 0:
		return &FieldError{Field: "fraction", Msg: "the ramp sets the share of requests; leave fraction and first_n out"}
	}
	inner := r.Fault
	inner.Fraction = max(r.From, r.To)
	return inner.Validate()
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

// Apply sets the first step's fraction on t's mock and starts the goroutine that moves
// the rest.
func (r *Ramp) Apply(ctx context.Context, t *Target) (func() error, error) {
	if t == nil || t.Mock == nil {
		return nil, errors.New("ramp: the upstream has no mock (protocol faults need one)")
	}
	if err := r.Validate(); err != nil {
		return nil, invalid(r.Kind(), t, err)
	}
	span := r.Over
	if span <= 0 {
		d, ok := PhaseDuration(ctx)
		if !ok {
			return nil, fmt.Errorf("ramp on %s: no span: set Over, or play it in a timeline phase (harness.Run passes the phase duration, see ContextWithPhaseDuration)", t.Name)
		}
		span = d
	}
	rs := &rampState{r: r, t: t, stop: make(chan struct{}), done: make(chan struct{})}
	if err := rs.set(0); err != nil {
		return nil, err
	}
	go rs.run(ctx, span/time.Duration(r.steps()))
	return rs.revert, nil
}

type rampState struct {
	r    *Ramp
	t    *Target
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
		id, err := s.t.Mock.SetFault(f)
		if err != nil {
			return fmt.Errorf("ramp on %s step %d (%g%%): %w", s.t.Name, i, frac*100, err)
		}
		s.id = id
	}
	if old != "" {
		s.t.Mock.ClearFault(old)
	}
	return nil
}

func (s *rampState) run(ctx context.Context, step time.Duration) {
	defer close(s.done)
	defer func() {
		if s.id != "" {
			s.t.Mock.ClearFault(s.id)
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
