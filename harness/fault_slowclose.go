package harness

import (
	"context"
	"fmt"
	"time"
)

// SlowClose holds a connection open for Delay after the other side closed it, before
// passing the close on in Direction.
type SlowClose struct {
	Delay time.Duration
	// Direction defaults to DirDownstream; Toxicity (share of connections) to 1.
	Direction Direction
	Toxicity  float32
}

var _ Fault = (*SlowClose)(nil)

// Kind is "slow-close".
func (*SlowClose) Kind() string { return "slow-close" }

// String is like "slow-close 2s".
func (s *SlowClose) String() string {
	return "slow-close " + s.Delay.String() + netSuffix(s.Direction, s.Toxicity)
}

// Apply adds a slow_close toxic to u's proxy.
func (s *SlowClose) Apply(ctx context.Context, u *Upstream) (func() error, error) {
	if s.Delay < 0 {
		return nil, fmt.Errorf("slow-close: negative delay %v", s.Delay)
	}
	return applyToxic(ctx, u, toxicSpec{
		kind: s.Kind(), typ: "slow_close", direction: s.Direction, toxicity: s.Toxicity,
		attrs: map[string]any{"delay": ms(s.Delay)},
	})
}
