package harness

import (
	"math"
	"time"
)

// DefaultMaxSamples is the run's sample budget: a scenario whose load would schedule more
// requests than this over its timeline (rate × total duration) is refused at validation.
// Each request is one sample kept in memory until the run ends (about 180 bytes each,
// see load.Sample), so the budget bounds a run's memory to a few hundred megabytes.
const DefaultMaxSamples = 2_000_000

// scheduledRequests is how many requests rate schedules over total, saturating instead of
// overflowing.
func scheduledRequests(rate float64, total time.Duration) float64 {
	n := rate * total.Seconds()
	if math.IsNaN(n) || n > math.MaxInt64 {
		return math.MaxInt64
	}
	return math.Ceil(n)
}

// timelineTotal is the sum of the phases' durations and false when it overflows.
func timelineTotal(tl Timeline) (time.Duration, bool) {
	var d time.Duration
	for _, p := range tl.Phases {
		if p.Duration > math.MaxInt64-d {
			return 0, false
		}
		d += p.Duration
	}
	return d, true
}
