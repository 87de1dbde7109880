package harness

import (
	"context"
	"fmt"
	"time"
)

// Slicer cuts the data in Direction into pieces of about AvgSize ± SizeVariation bytes,
// each sent Delay after the previous one (microsecond resolution): a slow, fragmented
// stream that tests a client's framing.
type Slicer struct {
	AvgSize       int
	SizeVariation int
	Delay         time.Duration
	// Direction defaults to DirDownstream; Toxicity (share of connections) to 1.
	Direction Direction
	Toxicity  float32
}

var _ Fault = (*Slicer)(nil)

// Kind is "slicer".
func (*Slicer) Kind() string { return "slicer" }

// String is like "slicer 16±4 bytes every 1ms".
func (s *Slicer) String() string {
	return fmt.Sprintf("slicer %d±%d bytes every %v", s.AvgSize, s.SizeVariation, s.Delay) + netSuffix(s.Direction, s.Toxicity)
}

// Apply adds a slicer toxic to u's proxy.
func (s *Slicer) Apply(ctx context.Context, u *Upstream) (func() error, error) {
	if s.AvgSize <= 0 || s.SizeVariation < 0 || s.SizeVariation >= s.AvgSize || s.Delay < 0 {
		return nil, fmt.Errorf("slicer: want AvgSize > 0, 0 <= SizeVariation < AvgSize, Delay >= 0; got %d, %d, %v", s.AvgSize, s.SizeVariation, s.Delay)
	}
	return applyToxic(ctx, u, toxicSpec{
		kind: s.Kind(), typ: "slicer", direction: s.Direction, toxicity: s.Toxicity,
		attrs: map[string]any{"average_size": s.AvgSize, "size_variation": s.SizeVariation, "delay": s.Delay.Microseconds()},
	})
}
