package slo

import (
	"time"

	"github.com/llmchaos/llmchaos/harness"
	"github.com/llmchaos/llmchaos/harness/load"
)

// measureTelemetry compares the SUT while a collector (kind otlp) was faulted with the
// steady state, and checks that telemetry was delivered again after the faults.
func (rn *run) measureTelemetry() Telemetry {
	var t Telemetry
	lastEnd := map[string]time.Duration{}
	for _, w := range rn.windows {
		if rn.isOTLP(w.Upstream) {
			t.Faulted = true
			lastEnd[w.Upstream] = max(lastEnd[w.Upstream], w.End)
		}
	}
	if !t.Faulted {
		return t
	}
	faultedPhases := map[string]bool{}
	for _, e := range rn.r.Events {
		if e.Kind == harness.EventFaultApplied && e.Phase != "" {
			faultedPhases[e.Phase] = true
		}
	}
	var faulted, steady []load.Sample
	for _, s := range rn.samples {
		at := rn.off(s.Scheduled)
		switch {
		case rn.faultedAt(at, rn.isOTLP):
			faulted = append(faulted, s)
		case !faultedPhases[s.Phase] && !rn.faultedAt(at, nil):
			steady = append(steady, s)
		}
	}
	t.FaultedRequests, t.SteadyRequests = len(faulted), len(steady)
	t.FaultedAvailability, t.FaultedP99, t.FaultedAvailabilityCI = availabilityP99(faulted)
	t.SteadyAvailability, t.SteadyP99, t.SteadyAvailabilityCI = availabilityP99(steady)
	if t.FaultedP99 > 0 && t.SteadyP99 > 0 {
		t.LatencyRatio = float64(t.FaultedP99) / float64(t.SteadyP99)
	}
	t.Resumed = true
	for name, end := range lastEnd {
		t.LastFaultEnd = max(t.LastFaultEnd, end)
		found := false
		var first time.Duration
		for _, a := range rn.r.Journals[name] {
			at := rn.off(a.Arrived)
			if a.Accepted > 0 && at >= end && (!found || at < first) {
				found, first = true, at
			}
		}
		if !found {
			t.Resumed = false
			continue
		}
		t.ResumedAt = max(t.ResumedAt, first)
	}
	if !t.Resumed {
		t.ResumedAt = 0
	}
	return t
}

// availabilityP99 is the availability of in, its p99 latency and the availability's
// 95% Wilson interval.
func availabilityP99(in []load.Sample) (float64, time.Duration, Interval) {
	ok := 0
	for _, s := range in {
		if s.OK() {
			ok++
		}
	}
	lat, _ := latencies(in)
	return ratio(ok, len(in)), percentiles(lat).P99, wilson(ok, len(in))
}
