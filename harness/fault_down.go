package harness

import (
	"context"
	"fmt"
)

// Down takes the upstream off the network: its proxy is disabled, so the SUT's new
// connections are refused (ECONNREFUSED) and its open keep-alive connections are closed.
// Revert enables the proxy again on the same address.
type Down struct{}

var _ Fault = (*Down)(nil)

// Kind is "down".
func (*Down) Kind() string { return "down" }

// String is "down".
func (*Down) String() string { return "down" }

// Apply disables u's proxy.
func (*Down) Apply(_ context.Context, u *Upstream) (func() error, error) {
	if u == nil || u.Proxy == nil {
		return nil, fmt.Errorf("down: upstream has no proxy")
	}
	if err := u.Proxy.SetEnabled(false); err != nil {
		return nil, fmt.Errorf("down on %s: %w", u.Name, err)
	}
	return func() error { return u.Proxy.SetEnabled(true) }, nil
}
