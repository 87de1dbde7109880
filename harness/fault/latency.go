package fault

import (
	"context"
	"time"

	"github.com/llmchaos/llmchaos/mocks/control"
)

// Latency delays the data through the proxy by Latency ± Jitter (Toxiproxy's latency
// toxic; millisecond resolution), on every chunk in Direction.
type Latency struct {
	Latency time.Duration `fault:"latency"`
	Jitter  time.Duration `fault:"jitter"`
	// Direction defaults to DirDownstream; Toxicity (share of connections) to 1.
	Direction Direction `fault:"direction"`
	Toxicity  float32   `fault:"toxicity"`
}

var (
	_ Fault     = (*Latency)(nil)
	_ Validator = (*Latency)(nil)
)

// Kind is "latency".
func (*Latency) Kind() string { return string(control.TypeLatency) }

// String is like "latency 500ms ±100ms".
func (l *Latency) String() string {
	s := "latency " + l.Latency.String()
	if l.Jitter > 0 {
		s += " ±" + l.Jitter.String()
	}
	return s + netSuffix(l.Direction, l.Toxicity)
}

// Validate wants a positive Latency and a Jitter >= 0.
func (l *Latency) Validate() error {
	if l.Latency <= 0 {
		return &FieldError{Field: "latency", Msg: "missing or not positive: how long the data is held, e.g. latency: 500ms"}
	}
	if err := negative("jitter", l.Jitter); err != nil {
		return err
	}
	return checkNet(l.Direction, l.Toxicity)
}

// Apply adds a latency toxic to t's proxy.
func (l *Latency) Apply(ctx context.Context, t *Target) (func() error, error) {
	if err := l.Validate(); err != nil {
		return nil, invalid(l.Kind(), t, err)
	}
	return applyToxic(ctx, t, toxicSpec{
		kind: l.Kind(), typ: "latency", direction: l.Direction, toxicity: l.Toxicity,
		attrs: map[string]any{"latency": ms(l.Latency), "jitter": ms(l.Jitter)},
	})
}
