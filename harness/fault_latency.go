package harness

import (
	"context"
	"fmt"
	"time"
)

// Latency delays the data through the proxy by Latency ± Jitter (Toxiproxy's latency
// toxic; millisecond resolution), on every chunk in Direction.
type Latency struct {
	Latency time.Duration
	Jitter  time.Duration
	// Direction defaults to DirDownstream; Toxicity (share of connections) to 1.
	Direction Direction
	Toxicity  float32
}

var _ Fault = (*Latency)(nil)

// Kind is "latency".
func (*Latency) Kind() string { return "latency" }

// String is like "latency 500ms ±100ms".
func (l *Latency) String() string {
	s := "latency " + l.Latency.String()
	if l.Jitter > 0 {
		s += " ±" + l.Jitter.String()
	}
	return s + netSuffix(l.Direction, l.Toxicity)
}

// Apply adds a latency toxic to u's proxy.
func (l *Latency) Apply(ctx context.Context, u *Upstream) (func() error, error) {
	if l.Latency < 0 || l.Jitter < 0 {
		return nil, fmt.Errorf("latency: negative latency %v or jitter %v", l.Latency, l.Jitter)
	}
	return applyToxic(ctx, u, toxicSpec{
		kind: l.Kind(), typ: "latency", direction: l.Direction, toxicity: l.Toxicity,
		attrs: map[string]any{"latency": ms(l.Latency), "jitter": ms(l.Jitter)},
	})
}
