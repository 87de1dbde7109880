package fault

import (
	"context"
	"time"

	"github.com/llmchaos/llmchaos/mocks/control"
)

// SlowClose holds a connection open for Delay after the other side closed it, before
// passing the close on in Direction.
type SlowClose struct {
	Delay time.Duration `fault:"delay"`
	// Direction defaults to DirDownstream; Toxicity (share of connections) to 1.
	Direction Direction `fault:"direction"`
	Toxicity  float32   `fault:"toxicity"`
}

var (
	_ Fault     = (*SlowClose)(nil)
	_ Validator = (*SlowClose)(nil)
)

// Kind is "slow-close".
func (*SlowClose) Kind() string { return string(control.TypeSlowClose) }

// String is like "slow-close 2s".
func (s *SlowClose) String() string {
	return "slow-close " + s.Delay.String() + netSuffix(s.Direction, s.Toxicity)
}

// Validate wants Delay >= 0.
func (s *SlowClose) Validate() error {
	if err := negative("delay", s.Delay); err != nil {
		return err
	}
	return checkNet(s.Direction, s.Toxicity)
}

// Apply adds a slow_close toxic to t's proxy.
func (s *SlowClose) Apply(ctx context.Context, t *Target) (func() error, error) {
	if err := s.Validate(); err != nil {
		return nil, invalid(s.Kind(), t, err)
	}
	return applyToxic(ctx, t, toxicSpec{
		kind: s.Kind(), typ: "slow_close", direction: s.Direction, toxicity: s.Toxicity,
		attrs: map[string]any{"delay": ms(s.Delay)},
	})
}
