package fault

import (
	"context"
	"fmt"

	"github.com/llmchaos/llmchaos/mocks/control"
)

// Bandwidth limits the data through the proxy in Direction to KBps kilobytes per second.
type Bandwidth struct {
	KBps int64 `fault:"rate_kbps"`
	// Direction defaults to DirDownstream; Toxicity (share of connections) to 1.
	Direction Direction `fault:"direction"`
	Toxicity  float32   `fault:"toxicity"`
}

var (
	_ Fault     = (*Bandwidth)(nil)
	_ Validator = (*Bandwidth)(nil)
)

// Kind is "bandwidth".
func (*Bandwidth) Kind() string { return string(control.TypeBandwidth) }

// String is like "bandwidth 10 KB/s".
func (b *Bandwidth) String() string {
	return fmt.Sprintf("bandwidth %d KB/s", b.KBps) + netSuffix(b.Direction, b.Toxicity)
}

// Validate wants a positive KBps (Toxiproxy reads 0 as unlimited).
func (b *Bandwidth) Validate() error {
	if b.KBps <= 0 {
		return &FieldError{Field: "rate_kbps", Msg: fmt.Sprintf("%d: give a positive rate in KB/s, e.g. rate_kbps: 8 (Toxiproxy reads 0 as unlimited)", b.KBps)}
	}
	return checkNet(b.Direction, b.Toxicity)
}

// Apply adds a bandwidth toxic to t's proxy.
func (b *Bandwidth) Apply(ctx context.Context, t *Target) (func() error, error) {
	if err := b.Validate(); err != nil {
		return nil, invalid(b.Kind(), t, err)
	}
	return applyToxic(ctx, t, toxicSpec{
		kind: b.Kind(), typ: "bandwidth", direction: b.Direction, toxicity: b.Toxicity,
		attrs: map[string]any{"rate": b.KBps},
	})
}
