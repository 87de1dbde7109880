package harness

import (
	"testing"
	"time"

	"github.com/llmchaos/llmchaos/harness/fault"
)

func TestTimelineScaled(t *testing.T) {
	lat := &fault.Latency{Latency: 500 * time.Millisecond}
	tl := Timeline{Phases: []Phase{
		{Name: "impact", Duration: 2 * time.Hour, Faults: []FaultSpec{
			{Upstream: "primary", Fault: lat},
			{Upstream: "primary", Fault: &fault.Flap{Period: 20 * time.Minute, Fault: &fault.Down{}}},
			{Upstream: "primary", Fault: &fault.Ramp{From: 0, To: 0.35, Over: time.Hour}},
		}},
		{Name: "blip", Duration: time.Second},
		{Name: "zero"},
	}}
	f := ScaleFactor(time.Hour, time.Second)
	if f != 1.0/3600 {
		t.Fatalf("ScaleFactor(1h, 1s) = %v", f)
	}
	s := tl.Scaled(f)
	if s.Phases[0].Duration != 2*time.Second || s.Phases[1].Duration != time.Millisecond || s.Phases[2].Duration != 0 {
		t.Errorf("scaled durations %v %v %v", s.Phases[0].Duration, s.Phases[1].Duration, s.Phases[2].Duration)
	}
	if s.Total() != 2*time.Second+time.Millisecond {
		t.Errorf("scaled total %v", s.Total())
	}
	if s.Phases[0].Faults[0].Fault != lat {
		t.Error("a latency (a wire quantity) was scaled")
	}
	if p := s.Phases[0].Faults[1].Fault.(*fault.Flap).Period; p != time.Second/3 {
		t.Errorf("flap period scaled to %v, want 333ms", p)
	}
	if o := s.Phases[0].Faults[2].Fault.(*fault.Ramp).Over; o != time.Second {
		t.Errorf("ramp span scaled to %v, want 1s", o)
	}
	if tl.Phases[0].Duration != 2*time.Hour || tl.Phases[0].Faults[1].Fault.(*fault.Flap).Period != 20*time.Minute {
		t.Error("Scaled changed the original timeline")
	}
	if same := tl.Scaled(0); same.Phases[0].Duration != 2*time.Hour {
		t.Errorf("factor 0 changed the durations: %v", same.Phases[0].Duration)
	}
}
