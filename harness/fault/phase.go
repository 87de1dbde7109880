package fault

import (
	"context"
	"math"
	"time"
)

type phaseDurationKey struct{}

// ContextWithPhaseDuration tells the faults applied with ctx how long their phase lasts.
// harness.Run sets it for every phase of a timeline; faults that change over their phase
// (Ramp) read it with PhaseDuration.
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
// a Ramp's span). harness.Timeline.Scaled scales it along with the phases.
type TimeScaler interface {
	Fault
	// ScaledBy returns a copy with its timeline durations multiplied by factor.
	ScaledBy(factor float64) Fault
}

// ScaleDuration multiplies d by factor, for replaying a real incident's clock in
// seconds; a positive result that would round to zero becomes 1ms, one that would
// overflow a Duration is the largest Duration. A d or factor <= 0 leaves d unchanged.
func ScaleDuration(d time.Duration, factor float64) time.Duration {
	if d <= 0 || factor <= 0 {
		return d
	}
	scaled := float64(d) * factor
	if scaled >= math.MaxInt64 {
		return math.MaxInt64
	}
	return max(time.Duration(scaled), time.Millisecond)
}
