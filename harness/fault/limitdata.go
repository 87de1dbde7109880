package fault

import (
	"context"
	"fmt"

	"github.com/llmchaos/llmchaos/mocks/control"
)

// LimitData closes each connection once Bytes bytes have passed in Direction: an answer
// cut off mid-body or mid-stream at the TCP level.
type LimitData struct {
	Bytes int64 `fault:"bytes"`
	// Direction defaults to DirDownstream; Toxicity (share of connections) to 1.
	Direction Direction `fault:"direction"`
	Toxicity  float32   `fault:"toxicity"`
}

var (
	_ Fault     = (*LimitData)(nil)
	_ Validator = (*LimitData)(nil)
)

// Kind is "limit-data".
func (*LimitData) Kind() string { return string(control.TypeLimitData) }

// String is like "limit-data 512 bytes".
func (l *LimitData) String() string {
	return fmt.Sprintf("limit-data %d bytes", l.Bytes) + netSuffix(l.Direction, l.Toxicity)
}

// Validate wants a positive Bytes.
func (l *LimitData) Validate() error {
	if l.Bytes <= 0 {
		return &FieldError{Field: "bytes", Msg: fmt.Sprintf("%d: give how many bytes pass before the connection closes, e.g. bytes: 512", l.Bytes)}
	}
	return checkNet(l.Direction, l.Toxicity)
}

// Apply adds a limit_data toxic to t's proxy.
func (l *LimitData) Apply(ctx context.Context, t *Target) (func() error, error) {
	if err := l.Validate(); err != nil {
		return nil, invalid(l.Kind(), t, err)
	}
	return applyToxic(ctx, t, toxicSpec{
		kind: l.Kind(), typ: "limit_data", direction: l.Direction, toxicity: l.Toxicity,
		attrs: map[string]any{"bytes": l.Bytes},
	})
}
