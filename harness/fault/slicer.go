package fault

import (
	"context"
	"fmt"
	"time"

	"github.com/llmchaos/llmchaos/mocks/control"
)

// Slicer cuts the data in Direction into pieces of about AvgSize ± SizeVariation bytes,
// each sent Delay after the previous one (microsecond resolution): a slow, fragmented
// stream that tests a client's framing.
type Slicer struct {
	AvgSize       int           `fault:"avg_size"`
	SizeVariation int           `fault:"size_variation"`
	Delay         time.Duration `fault:"delay"`
	// Direction defaults to DirDownstream; Toxicity (share of connections) to 1.
	Direction Direction `fault:"direction"`
	Toxicity  float32   `fault:"toxicity"`
}

var (
	_ Fault     = (*Slicer)(nil)
	_ Validator = (*Slicer)(nil)
)

// Kind is "slicer".
func (*Slicer) Kind() string { return string(control.TypeSlicer) }

// String is like "slicer 16±4 bytes every 1ms".
func (s *Slicer) String() string {
	return fmt.Sprintf("slicer %d±%d bytes every %v", s.AvgSize, s.SizeVariation, s.Delay) + netSuffix(s.Direction, s.Toxicity)
}

// Validate wants AvgSize > 0, 0 <= SizeVariation < AvgSize and Delay >= 0.
func (s *Slicer) Validate() error {
	switch {
	case s.AvgSize <= 0:
		return &FieldError{Field: "avg_size", Msg: fmt.Sprintf("%d: give the bytes per slice, e.g. avg_size: 16", s.AvgSize)}
	case s.SizeVariation < 0 || s.SizeVariation >= s.AvgSize:
		return &FieldError{Field: "size_variation", Msg: fmt.Sprintf("%d: want 0 <= size_variation < avg_size (%d)", s.SizeVariation, s.AvgSize)}
	}
	if err := negative("delay", s.Delay); err != nil {
		return err
	}
	return checkNet(s.Direction, s.Toxicity)
}

// Apply adds a slicer toxic to t's proxy.
func (s *Slicer) Apply(ctx context.Context, t *Target) (func() error, error) {
	if err := s.Validate(); err != nil {
		return nil, invalid(s.Kind(), t, err)
	}
	return applyToxic(ctx, t, toxicSpec{
		kind: s.Kind(), typ: "slicer", direction: s.Direction, toxicity: s.Toxicity,
		attrs: map[string]any{"average_size": s.AvgSize, "size_variation": s.SizeVariation, "delay": s.Delay.Microseconds()},
	})
}
