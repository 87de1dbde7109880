package harness

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// Reset resets connections (TCP RST: the SUT sees ECONNRESET) After the first data in
// Direction arrives: downstream (the default) once the mock starts answering, upstream
// once the SUT starts sending. Toxiproxy's reset_peer toxic.
type Reset struct {
	After time.Duration
	// Direction defaults to DirDownstream; Toxicity (share of connections) to 1.
	Direction Direction
	Toxicity  float32
	// DropOpen closes the connections already open through the proxy when the fault
	// starts (a brief disable and enable), so pooled keep-alive connections are redialed
	// and get a true RST rather than the FIN an older connection gets.
	DropOpen bool
}

var _ Fault = (*Reset)(nil)

// Kind is "reset".
func (*Reset) Kind() string { return "reset" }

// String is like "reset after 100ms".
func (r *Reset) String() string {
	s := "reset"
	if r.After > 0 {
		s += " after " + r.After.String()
	}
	return s + netSuffix(r.Direction, r.Toxicity)
}

// Apply adds a reset_peer toxic to u's proxy.
func (r *Reset) Apply(ctx context.Context, u *Upstream) (func() error, error) {
	if r.After < 0 {
		return nil, fmt.Errorf("reset: negative after %v", r.After)
	}
	revert, err := applyToxic(ctx, u, toxicSpec{
		kind: r.Kind(), typ: "reset_peer", direction: r.Direction, toxicity: r.Toxicity,
		attrs: map[string]any{"timeout": ms(r.After)},
	})
	if err != nil || !r.DropOpen {
		return revert, err
	}
	if err := errors.Join(u.Proxy.SetEnabled(false), u.Proxy.SetEnabled(true)); err != nil {
		return nil, errors.Join(fmt.Errorf("reset on %s: drop open connections: %w", u.Name, err), revert())
	}
	return revert, nil
}
