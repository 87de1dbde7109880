package harness

import (
	"context"
	"fmt"
)

// Bandwidth limits the data through the proxy in Direction to KBps kilobytes per second.
type Bandwidth struct {
	KBps int64
	// Direction defaults to DirDownstream; Toxicity (share of connections) to 1.
	Direction Direction
	Toxicity  float32
}

var _ Fault = (*Bandwidth)(nil)

// Kind is "bandwidth".
func (*Bandwidth) Kind() string { return "bandwidth" }

// String is like "bandwidth 10 KB/s".
func (b *Bandwidth) String() string {
	return fmt.Sprintf("bandwidth %d KB/s", b.KBps) + netSuffix(b.Direction, b.Toxicity)
}

// Apply adds a bandwidth toxic to u's proxy.
func (b *Bandwidth) Apply(ctx context.Context, u *Upstream) (func() error, error) {
	if b.KBps <= 0 {
		return nil, fmt.Errorf("bandwidth: KBps %d must be positive (Toxiproxy reads 0 as unlimited)", b.KBps)
	}
	return applyToxic(ctx, u, toxicSpec{
		kind: b.Kind(), typ: "bandwidth", direction: b.Direction, toxicity: b.Toxicity,
		attrs: map[string]any{"rate": b.KBps},
	})
}
