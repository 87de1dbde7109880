package fault

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/llmchaos/llmchaos/mocks/control"
)

// Flap turns Fault on and off every Period/2, starting on: an upstream that comes and
// goes. A goroutine does the switching; it stops, reverting Fault if it is on, on revert
// or when the Apply context ends. Errors from re-applying Fault are returned by revert.
// In YAML and JSON it is the modifier flap: {period} on any fault.
type Flap struct {
	Period time.Duration `fault:"period"`
	Fault  Fault
}

var (
	_ Fault       = (*Flap)(nil)
	_ TimeScaler  = (*Flap)(nil)
	_ Validator   = (*Flap)(nil)
	_ MockPlayed  = (*Flap)(nil)
	_ MockFaulter = (*Flap)(nil)
)

// Kind is "flap".
func (*Flap) Kind() string { return "flap" }

// String is like "flap down every 2s".
func (f *Flap) String() string {
	inner := "<nil>"
	if f.Fault != nil {
		inner = f.Fault.String()
	}
	return fmt.Sprintf("flap %s every %v", inner, f.Period)
}

// ScaledBy returns a copy with Period (and the inner fault's timing, when it has any)
// multiplied by factor.
func (f *Flap) ScaledBy(factor float64) Fault {
	c := *f
	c.Period = ScaleDuration(f.Period, factor)
	if ts, ok := f.Fault.(TimeScaler); ok {
		c.Fault = ts.ScaledBy(factor)
	}
	return &c
}

// MockModes is the inner fault's, if a mock plays it.
func (f *Flap) MockModes() []control.Mode { return Modes(f.Fault) }

// MockFaults is what the flapped fault sets on the mock.
func (f *Flap) MockFaults() []control.Fault { return ProtocolFaults(f.Fault) }

// Validate wants a positive Period and a valid inner Fault.
func (f *Flap) Validate() error {
	if f.Period <= 0 {
		return &FieldError{Field: "flap.period", Msg: fmt.Sprintf("%v: give a positive period, e.g. flap: {period: 4s}", f.Period)}
	}
	if f.Fault == nil {
		return &FieldError{Field: "flap", Msg: "no fault to flap"}
	}
	return Validate(f.Fault)
}

// Apply applies Fault on t and starts the goroutine that switches it.
func (f *Flap) Apply(ctx context.Context, t *Target) (func() error, error) {
	if err := f.Validate(); err != nil {
		return nil, invalid(f.Kind(), t, err)
	}
	revert, err := f.Fault.Apply(ctx, t)
	if err != nil {
		return nil, fmt.Errorf("flap: %w", err)
	}
	fs := &flapState{f: f, t: t, revertInner: revert, stop: make(chan struct{}), done: make(chan struct{})}
	go fs.run(ctx)
	return fs.revert, nil
}

type flapState struct {
	f           *Flap
	t           *Target
	revertInner func() error // nil while off
	errs        []error

	stop     chan struct{}
	done     chan struct{}
	stopOnce sync.Once
}

func (s *flapState) run(ctx context.Context) {
	defer close(s.done)
	defer func() {
		if s.revertInner != nil {
			s.errs = append(s.errs, s.revertInner())
		}
	}()
	half := s.f.Period / 2
	t := time.NewTimer(half)
	defer t.Stop()
	for {
		select {
		case <-s.stop:
			return
		case <-ctx.Done():
			return
		case <-t.C:
		}
		if s.revertInner != nil {
			s.errs = append(s.errs, s.revertInner())
			s.revertInner = nil
		} else {
			r, err := s.f.Fault.Apply(ctx, s.t)
			s.errs = append(s.errs, err)
			s.revertInner = r
		}
		t.Reset(half)
	}
}

func (s *flapState) revert() error {
	s.stopOnce.Do(func() { close(s.stop) })
	<-s.done
	return errors.Join(s.errs...)
}
