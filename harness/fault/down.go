package fault

import (
	"context"
	"fmt"

	"github.com/llmchaos/llmchaos/mocks/control"
)

// Down takes the upstream off the network: its proxy is disabled, so the SUT's new
// connections are refused (ECONNREFUSED) and its open keep-alive connections are closed.
// Revert enables the proxy again on the same address. It takes no fields.
type Down struct{}

var (
	_ Fault     = (*Down)(nil)
	_ Validator = (*Down)(nil)
)

// Kind is "down".
func (*Down) Kind() string { return string(control.TypeDown) }

// String is "down".
func (*Down) String() string { return "down" }

// Validate accepts every Down.
func (*Down) Validate() error { return nil }

// Apply disables t's proxy.
func (*Down) Apply(_ context.Context, t *Target) (func() error, error) {
	if t == nil || t.Proxy == nil {
		return nil, fmt.Errorf("down: the upstream has no proxy (network faults need one)")
	}
	if err := t.Proxy.SetEnabled(false); err != nil {
		return nil, fmt.Errorf("down on %s: %w", t.Name, err)
	}
	return func() error { return t.Proxy.SetEnabled(true) }, nil
}
