package slo

import (
	"time"

	"github.com/llmchaos/llmchaos/harness"
)

// measurePhases fills one PhaseMetrics per phase span (and one for samples whose phase
// the run does not know, when there are such samples).
func (rn *run) measurePhases() []PhaseMetrics {
	names := rn.phaseNames()
	known := map[string]bool{}
	for _, n := range names {
		known[n] = true
	}
	for _, s := range rn.samples {
		if !known[s.Phase] {
			known[s.Phase] = true
			names = append(names, s.Phase)
		}
	}
	out := make([]PhaseMetrics, 0, len(names))
	for _, name := range names {
		pm := PhaseMetrics{Name: name, ServedBy: map[string]int{}, Outcomes: map[string]int{}}
		for _, p := range rn.phases {
			if p.name == name {
				pm.Start, pm.End = p.start, p.end
			}
		}
		in := rn.phaseSamples(name)
		pm.Requests = len(in)
		lat, ttft := latencies(in)
		for _, s := range in {
			pm.Outcomes[string(s.Outcome)]++
			if s.OK() {
				pm.OK++
				if s.ServedBy != "" {
					pm.ServedBy[s.ServedBy]++
				}
			}
		}
		pm.Availability = ratio(pm.OK, pm.Requests)
		pm.Latency, pm.TTFT = percentiles(lat), percentiles(ttft)
		out = append(out, pm)
	}
	return out
}

// phaseSamples returns the samples of the named phase ("" means the whole run).
func (rn *run) phaseSamples(name string) []harness.Sample {
	if name == "" {
		return rn.samples
	}
	var out []harness.Sample
	for _, s := range rn.samples {
		if s.Phase == name {
			out = append(out, s)
		}
	}
	return out
}

// latencies returns the latencies of the samples that were sent (not dropped, ended)
// and the TTFTs of those where a byte arrived.
func latencies(in []harness.Sample) (lat, ttft []time.Duration) {
	for _, s := range in {
		if s.Outcome == harness.OutcomeDropped || s.Ended.IsZero() {
			continue
		}
		lat = append(lat, s.Latency())
		if t, ok := s.TTFT(); ok {
			ttft = append(ttft, t)
		}
	}
	return lat, ttft
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

// sent counts the samples that were not dropped.
func sent(in []harness.Sample) int {
	n := 0
	for _, s := range in {
		if s.Outcome != harness.OutcomeDropped {
			n++
		}
	}
	return n
}
