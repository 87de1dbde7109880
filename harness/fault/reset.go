package fault

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/llmchaos/llmchaos/mocks/control"
)

// Reset resets connections (TCP RST: the SUT sees ECONNRESET) After the first data in
// Direction arrives: downstream (the default) once the mock starts answering, upstream
// once the SUT starts sending. Toxiproxy's reset_peer toxic.
type Reset struct {
	After time.Duration `fault:"after"`
	// Direction defaults to DirDownstream; Toxicity (share of connections) to 1.
	Direction Direction `fault:"direction"`
	Toxicity  float32   `fault:"toxicity"`
	// DropOpen closes the connections already open through the proxy when the fault
	// starts (a brief disable and enable), so pooled keep-alive connections are redialed
	// and get a true RST rather than the FIN an older connection gets.
	DropOpen bool `fault:"drop_open"`
}

var (
	_ Fault     = (*Reset)(nil)
	_ Validator = (*Reset)(nil)
)

// Kind is "reset".
func (*Reset) Kind() string { return string(control.TypeReset) }

// String is like "reset after 100ms".
func (r *Reset) String() string {
	s := "reset"
	if r.After > 0 {
		s += " after " + r.After.String()
	}
	return s + netSuffix(r.Direction, r.Toxicity)
}

// Validate wants After >= 0.
func (r *Reset) Validate() error {
	if err := negative("after", r.After); err != nil {
		return err
	}
	return checkNet(r.Direction, r.Toxicity)
}

// Apply adds a reset_peer toxic to t's proxy.
func (r *Reset) Apply(ctx context.Context, t *Target) (func() error, error) {
	if err := r.Validate(); err != nil {
		return nil, invalid(r.Kind(), t, err)
	}
	revert, err := applyToxic(ctx, t, toxicSpec{
		kind: r.Kind(), typ: "reset_peer", direction: r.Direction, toxicity: r.Toxicity,
		attrs: map[string]any{"timeout": ms(r.After)},
	})
	if err != nil || !r.DropOpen {
		return revert, err
	}
	if err := errors.Join(t.Proxy.SetEnabled(false), t.Proxy.SetEnabled(true)); err != nil {
		return nil, errors.Join(fmt.Errorf("reset on %s: drop open connections: %w", t.Name, err), revert())
	}
	return revert, nil
}
