package harness

import (
	"context"
	"fmt"
)

// LimitData closes each connection once Bytes bytes have passed in Direction: an answer
// cut off mid-body or mid-stream at the TCP level.
type LimitData struct {
	Bytes int64
	// Direction defaults to DirDownstream; Toxicity (share of connections) to 1.
	Direction Direction
	Toxicity  float32
}

var _ Fault = (*LimitData)(nil)

// Kind is "limit-data".
func (*LimitData) Kind() string { return "limit-data" }

// String is like "limit-data 512 bytes".
func (l *LimitData) String() string {
	return fmt.Sprintf("limit-data %d bytes", l.Bytes) + netSuffix(l.Direction, l.Toxicity)
}

// Apply adds a limit_data toxic to u's proxy.
func (l *LimitData) Apply(ctx context.Context, u *Upstream) (func() error, error) {
	if l.Bytes < 0 {
		return nil, fmt.Errorf("limit-data: negative bytes %d", l.Bytes)
	}
	return applyToxic(ctx, u, toxicSpec{
		kind: l.Kind(), typ: "limit_data", direction: l.Direction, toxicity: l.Toxicity,
		attrs: map[string]any{"bytes": l.Bytes},
	})
}
