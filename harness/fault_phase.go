package harness

import (
	"context"
	"time"
)

type phaseDurationKey struct{}

// ContextWithPhaseDuration tells the faults applied with ctx how long their phase lasts.
// PlayTimeline sets it for every phase; faults that change over their phase (Ramp) read it
// with PhaseDuration.
func ContextWithPhaseDuration(ctx context.Context, d time.Duration) context.Context {
	return context.WithValue(ctx, phaseDurationKey{}, d)
}

// PhaseDuration is the phase duration ContextWithPhaseDuration put in ctx, and false when
// there is none.
func PhaseDuration(ctx context.Context) (time.Duration, bool) {
	d, ok := ctx.Value(phaseDurationKey{}).(time.Duration)
	return d, ok && d > 0
}

// TimeScaler is a Fault whose own timing follows the timeline's clock (a Flap's period,
// a Ramp's span). Timeline.Scaled scales it along with the phases.
type TimeScaler interface {
	Fault
	// ScaledBy returns a copy with its timeline durations multiplied by factor.
	ScaledBy(factor float64) Fault
}
