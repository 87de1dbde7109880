package scenarios

import (
	"fmt"
	"math"

	"github.com/llmchaos/llmchaos/harness"
)

// timeline builds the phases (with their faults, through the fault registry); a replay
// scales them from the incident's clock.
func (b *builder) timeline(y *yScenario, sc *harness.Scenario) {
	scale := 1.0
	if r := y.Replay; r != nil {
		if r.Real.D <= 0 || r.Played.D <= 0 {
			b.fail(lineOf(b.root, "replay"), "replay", "set both real and played, e.g. {real: 1h, played: 4s}")
		} else {
			scale = harness.ScaleFactor(r.Real.D, r.Played.D)
		}
	}
	for i, p := range y.Timeline {
		field := fmt.Sprintf("timeline[%d]", i)
		phase := harness.Phase{Name: p.Phase.V, Duration: p.For.D}
		for k := range p.Faults {
			n := &p.Faults[k]
			ff := fmt.Sprintf("%s.faults[%d]", field, k)
			if fs, ok := b.fault(ff, n); ok {
				phase.Faults = append(phase.Faults, fs)
			}
		}
		sc.Timeline.Phases = append(sc.Timeline.Phases, phase)
		if scaled := float64(phase.Duration) * scale; scaled >= math.MaxInt64 {
			b.fail(lineOf(b.root, "replay"), "replay", "{real: %v, played: %v} scales phase %q (%v) past what a duration can hold (about 292 years): the scale overflows; check real and played", y.Replay.Real.D, y.Replay.Played.D, phase.Name, phase.Duration)
			scale = 1
		}
	}
	if scale != 1 {
		sc.Timeline = sc.Timeline.Scaled(scale)
	}
}
