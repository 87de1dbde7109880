package slo

import (
	"time"

	"github.com/llmchaos/llmchaos/harness/load"
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
	index := map[string]int{}
	for _, name := range names {
		pm := rn.measureSet(name, rn.phaseSamples(name))
		for _, p := range rn.phases {
			if p.name == name {
				pm.Start, pm.End = p.start, p.end
			}
		}
		index[name] = len(out)
		out = append(out, pm)
	}
	for _, s := range rn.samples {
		if s.OK() && s.ServedBy != "" {
			out[index[rn.servedIn(s)]].ServedBy[s.ServedBy]++
		}
	}
	return out
}

// servedIn is the phase in which s's answer was served: the phase span holding its
// Ended, the last phase for an answer after the last phase ended, else its own phase.
func (rn *run) servedIn(s load.Sample) string {
	if len(rn.phases) == 0 || s.Ended().IsZero() {
		return s.Phase
	}
	at := rn.off(s.Ended())
	if name, ok := rn.phaseAt(at); ok {
		return name
	}
	if last := rn.phases[len(rn.phases)-1]; at >= last.end {
		return last.name
	}
	return s.Phase
}

// measureRun measures the whole run as one phase (Name "").
func (rn *run) measureRun() PhaseMetrics {
	pm := rn.measureSet("", rn.samples)
	pm.End = rn.end
	for k, v := range pm.ServedByScheduled {
		pm.ServedBy[k] = v
	}
	return pm
}

// measureSet measures the samples in (in schedule order) as the phase name: counts by
// outcome, availability, failures, silent truncations, latency and ttft percentiles.
// Attempts and amplification are filled by measureAmplification.
func (rn *run) measureSet(name string, in []load.Sample) PhaseMetrics {
	pm := PhaseMetrics{Name: name, ServedBy: map[string]int{}, ServedByScheduled: map[string]int{},
		Outcomes: map[string]int{}, AttemptsBy: map[string]int{}}
	pm.Requests = len(in)
	for _, s := range in {
		pm.Outcomes[string(s.Outcome)]++
		if s.Outcome != load.OutcomeDropped {
			pm.Sent += max(1, int(s.Turns))
		}
		if s.ToolCalls > 0 {
			pm.ToolCallTurns++
		}
		if s.Outcome == load.OutcomeTruncated {
			if pm.SilentTruncations == 0 {
				pm.FirstTruncation = rn.ref(s, 0)
			}
			pm.SilentTruncations++
		}
		if !s.OK() {
			if pm.Failed == 0 {
				pm.FirstFailed = rn.off(s.Scheduled)
			}
			pm.Failed++
			pm.LastFailed = rn.off(s.Scheduled)
			continue
		}
		pm.OK++
		if s.ServedBy != "" {
			pm.ServedByScheduled[s.ServedBy]++
		}
	}
	pm.Availability = ratio(pm.OK, pm.Requests)
	pm.AvailabilityCI = wilson(pm.OK, pm.Requests)
	pm.Latency = rn.durations(in, latencyOf)
	pm.TTFT = rn.durations(in, load.Sample.TTFT)
	return pm
}

// durations measures of over the samples of in that were sent (not dropped, ended) and
// for which of has a value, with the slowest of them.
func (rn *run) durations(in []load.Sample, of func(load.Sample) (time.Duration, bool)) Percentiles {
	var ds []time.Duration
	var slow load.Sample
	var slowest time.Duration
	for _, s := range in {
		if s.Outcome == load.OutcomeDropped || s.Ended().IsZero() {
			continue
		}
		d, ok := of(s)
		if !ok {
			continue
		}
		if len(ds) == 0 || d > slowest {
			slow, slowest = s, d
		}
		ds = append(ds, d)
	}
	p := percentiles(ds)
	if p.N > 0 {
		p.Slowest = rn.ref(slow, slowest)
	}
	return p
}

// latencyOf is s's latency (Ended − Scheduled), always measured for a sample that ended.
func latencyOf(s load.Sample) (time.Duration, bool) { return s.Latency(), true }

// ref names s for a reason, with its measured duration d.
func (rn *run) ref(s load.Sample, d time.Duration) SampleRef {
	return SampleRef{Seq: s.Seq, ID: s.ID, Scheduled: rn.off(s.Scheduled), Value: d, Outcome: string(s.Outcome), Error: s.Error}
}

// phaseSamples returns the samples of the named phase ("" means the whole run).
func (rn *run) phaseSamples(name string) []load.Sample {
	if name == "" {
		return rn.samples
	}
	var out []load.Sample
	for _, s := range rn.samples {
		if s.Phase == name {
			out = append(out, s)
		}
	}
	return out
}

// latencies returns the latencies of the samples that were sent (not dropped, ended)
// and the TTFTs of those where a byte arrived.
func latencies(in []load.Sample) (lat, ttft []time.Duration) {
	for _, s := range in {
		if s.Outcome == load.OutcomeDropped || s.Ended().IsZero() {
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
