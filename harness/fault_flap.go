package harness

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"
)

// Flap turns Fault on and off every Period/2, starting on: an upstream that comes and
// goes. A goroutine does the switching; it stops, reverting Fault if it is on, on revert
// or when the Apply context ends. Errors from re-applying Fault are returned by revert.
type Flap struct {
	Period time.Duration
	Fault  Fault
}

var (
	_ Fault      = (*Flap)(nil)
	_ TimeScaler = (*Flap)(nil)
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
	c.Period = scaleDuration(f.Period, factor)
	if ts, ok := f.Fault.(TimeScaler); ok {
		c.Fault = ts.ScaledBy(factor)
	}
	return &c
}

// Apply applies Fault on u and starts the goroutine that switches it.
func (f *Flap) Apply(ctx context.Context, u *Upstream) (func() error, error) {
	if f.Fault == nil {
		return nil, errors.New("flap: no fault to flap")
	}
	if f.Period <= 0 {
		return nil, fmt.Errorf("flap %s: period %v must be positive", f.Fault.Kind(), f.Period)
	}
	revert, err := f.Fault.Apply(ctx, u)
	if err != nil {
		return nil, fmt.Errorf("flap: %w", err)
	}
	fs := &flapState{f: f, u: u, revertInner: revert, stop: make(chan struct{}), done: make(chan struct{})}
	go fs.run(ctx)
	return fs.revert, nil
}

type flapState struct {
	f           *Flap
	u           *Upstream
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
			r, err := s.f.Fault.Apply(ctx, s.u)
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
