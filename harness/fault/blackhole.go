package fault

import (
	"context"

	"github.com/llmchaos/llmchaos/mocks/control"
)

// Blackhole lets connections open but drops every byte in Direction, so the SUT waits
// for an answer that never comes (Toxiproxy's timeout toxic with timeout 0). Unlike the
// other network faults its default Direction is DirUpstream: the request never reaches
// the mock, so nothing comes back, not even a close. (DirDownstream lets the mock
// answer and drops the answer, but the timeout toxic passes a close on, so an answer
// sent with Connection: close reaches the client as EOF.) Revert closes the connections
// it was holding.
type Blackhole struct {
	// Direction defaults to DirUpstream; Toxicity (share of connections) to 1.
	Direction Direction `fault:"direction"`
	Toxicity  float32   `fault:"toxicity"`
}

var (
	_ Fault     = (*Blackhole)(nil)
	_ Validator = (*Blackhole)(nil)
)

// Kind is "blackhole".
func (*Blackhole) Kind() string { return string(control.TypeBlackhole) }

// String is "blackhole".
func (b *Blackhole) String() string { return "blackhole" + netSuffix(b.Direction, b.Toxicity) }

// Validate checks Direction and Toxicity.
func (b *Blackhole) Validate() error { return checkNet(b.Direction, b.Toxicity) }

// Apply adds a timeout toxic with timeout 0 to t's proxy.
func (b *Blackhole) Apply(ctx context.Context, t *Target) (func() error, error) {
	if err := b.Validate(); err != nil {
		return nil, invalid(b.Kind(), t, err)
	}
	dir := b.Direction
	if dir == "" {
		dir = DirUpstream
	}
	return applyToxic(ctx, t, toxicSpec{
		kind: b.Kind(), typ: "timeout", direction: dir, toxicity: b.Toxicity,
		attrs: map[string]any{"timeout": 0},
	})
}
