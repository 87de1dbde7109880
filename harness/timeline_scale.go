package harness

import (
	"time"

	"github.com/llmchaos/llmchaos/harness/fault"
)

// Scaled returns a copy of t with every phase duration multiplied by factor, for
// replaying a real incident's clock in seconds: factor 1.0/3600 turns an hour into a
// second (see ScaleFactor). Faults whose own timing follows the timeline (TimeScaler:
// Flap, Ramp) are scaled too; the others (a latency, a Retry-After) keep their values,
// since they describe the wire, not the clock. A duration that would round to zero
// becomes 1ms. A factor <= 0 returns an unchanged copy.
func (t Timeline) Scaled(factor float64) Timeline {
	out := Timeline{Phases: make([]Phase, len(t.Phases))}
	for i, p := range t.Phases {
		q := Phase{Name: p.Name, Duration: p.Duration}
		if factor > 0 {
			q.Duration = fault.ScaleDuration(p.Duration, factor)
		}
		if p.Faults != nil {
			q.Faults = make([]FaultSpec, len(p.Faults))
			for j, fs := range p.Faults {
				if ts, ok := fs.Fault.(fault.TimeScaler); ok && factor > 0 {
					fs.Fault = ts.ScaledBy(factor)
				}
				q.Faults[j] = fs
			}
		}
		out.Phases[i] = q
	}
	return out
}

// ScaleFactor is the factor that maps real onto scaled: ScaleFactor(time.Hour, time.Second)
// replays each hour of an incident in a second.
func ScaleFactor(real, scaled time.Duration) float64 {
	if real <= 0 {
		return 1
	}
	return float64(scaled) / float64(real)
}
