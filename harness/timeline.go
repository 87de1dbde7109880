package harness

import (
	"time"

	"github.com/llmchaos/llmchaos/harness/fault"
)

// Timeline is the ordered phases of a run.
type Timeline struct {
	Phases []Phase
}

// Phase is a named stretch of the timeline and the faults active during it.
type Phase struct {
	Name     string
	Duration time.Duration
	Faults   []FaultSpec
}

// FaultSpec puts a Fault on one upstream for the phase it belongs to.
type FaultSpec struct {
	Upstream string
	Fault    fault.Fault
}

// Total is the summed duration of the phases.
func (t Timeline) Total() time.Duration {
	var d time.Duration
	for _, p := range t.Phases {
		d += p.Duration
	}
	return d
}
