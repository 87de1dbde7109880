package slo

import (
	"fmt"
	"sort"
	"strings"

	"github.com/llmchaos/llmchaos/harness"
)

// observe measures the SLO's metric for the plain (non-ttf, non-percentile) metrics:
// the value in the SLO's unit, how it reads, what explains it, and whether there was
// anything to measure. With ok false, an empty explain means "n/a, passes" and a
// non-empty one "nothing measured, fails".
func (rn *run) observe(s SLO, m Metrics) (value float64, shown, explain string, ok bool) {
	switch s.Metric {
	case MetricAvailability:
		in := rn.phaseSamples(s.Phase)
		if len(in) == 0 {
			return 0, "n/a", fmt.Sprintf("%s: no sample was scheduled", s.name()), false
		}
		okN := 0
		for _, x := range in {
			if x.OK() {
				okN++
			}
		}
		a := ratio(okN, len(in))
		return a, fmt.Sprintf("%.4g (%d/%d)", a, okN, len(in)), rn.failureStory(in), true
	case MetricAmplification:
		n := sent(rn.phaseSamples(s.Phase))
		if n == 0 {
			return 0, "n/a", fmt.Sprintf("%s: no request was sent", s.name()), false
		}
		by := rn.attemptsByUpstream(s.Phase)
		total := 0
		for _, k := range by {
			total += k
		}
		a := ratio(total, n)
		return a, fmt.Sprintf("%.3g", a), fmt.Sprintf("%d LLM attempts for %d requests sent (%s)", total, n, countList(by)), true
	case MetricSilentTruncations:
		return rn.observeTruncations(s)
	case MetricRetryAfterViolations:
		return float64(len(m.Violations)), fmt.Sprint(len(m.Violations)), violationStory(m.Violations), true
	case MetricMaxErrorBurst, MetricMaxErrorBurstDuration:
		b := m.MaxErrorBurst
		story := "no failed sample"
		if b.Count > 0 {
			story = fmt.Sprintf("longest error burst %s from %s lasting %s", plural(b.Count, "sample", "samples"), fmtAt(b.Start), fmtDur(b.Duration))
		}
		if s.Metric == MetricMaxErrorBurst {
			return float64(b.Count), fmt.Sprint(b.Count), story, true
		}
		return b.Duration.Seconds(), fmtDur(b.Duration), story, true
	case MetricTelemetryLatencyRatio, MetricTelemetryAvailability, MetricTelemetryResumed:
		return rn.observeTelemetry(s, m.Telemetry)
	}
	return 0, "n/a", fmt.Sprintf("metric %q cannot be evaluated", s.Metric), false
}

func (rn *run) observeTelemetry(s SLO, t Telemetry) (float64, string, string, bool) {
	if !t.Faulted {
		return 0, "n/a (no collector fault)", "", false
	}
	story := fmt.Sprintf("while the collector was faulted: availability %.4g, p99 %s over %s; steady state: availability %.4g, p99 %s over %s",
		t.FaultedAvailability, fmtDur(t.FaultedP99), plural(t.FaultedRequests, "sample", "samples"),
		t.SteadyAvailability, fmtDur(t.SteadyP99), plural(t.SteadyRequests, "sample", "samples"))
	switch s.Metric {
	case MetricTelemetryLatencyRatio:
		if t.LatencyRatio == 0 {
			return 0, "n/a", "telemetry_latency_ratio: nothing to compare; " + story, false
		}
		return t.LatencyRatio, fmt.Sprintf("%.3g", t.LatencyRatio), story, true
	case MetricTelemetryAvailability:
		if t.FaultedRequests == 0 {
			return 0, "n/a", "telemetry_availability: no sample was scheduled while the collector was faulted", false
		}
		return t.FaultedAvailability, fmt.Sprintf("%.4g", t.FaultedAvailability), story, true
	}
	if t.Resumed {
		return 1, "1", fmt.Sprintf("collector faults ended by %s; exports accepted again from %s", fmtAt(t.LastFaultEnd), fmtAt(t.ResumedAt)), true
	}
	return 0, "0", fmt.Sprintf("collector faults ended by %s; no export was accepted after that", fmtAt(t.LastFaultEnd)), true
}

// failureStory summarises the failed samples of in: counts by outcome, first and last.
func (rn *run) failureStory(in []harness.Sample) string {
	by := map[string]int{}
	var failed []harness.Sample
	for _, x := range in {
		if !x.OK() {
			by[string(x.Outcome)]++
			failed = append(failed, x)
		}
	}
	if len(failed) == 0 {
		return "no sample failed"
	}
	return fmt.Sprintf("%s failed (%s), scheduled %s–%s", plural(len(failed), "sample", "samples"), countList(by),
		fmtAt(rn.off(failed[0].Scheduled)), fmtAt(rn.off(failed[len(failed)-1].Scheduled)))
}

// attemptsByUpstream counts LLM attempts attributed to phase ("" = whole run) by upstream.
func (rn *run) attemptsByUpstream(phase string) map[string]int {
	out := map[string]int{}
	for name, journal := range rn.r.Journals {
		if !rn.isLLM(name) {
			continue
		}
		for _, a := range journal {
			p, known := rn.phaseOf[a.CorrelationID]
			if !known || a.CorrelationID == "" {
				p, _ = rn.phaseAt(rn.off(a.Arrived))
			}
			if phase == "" || p == phase {
				out[name]++
			}
		}
	}
	return out
}

func violationStory(vs []RetryAfterViolation) string {
	if len(vs) == 0 {
		return "every retry waited as long as Retry-After asked"
	}
	var parts []string
	for i, v := range vs {
		if i == 3 {
			parts = append(parts, fmt.Sprintf("and %d more", len(vs)-3))
			break
		}
		parts = append(parts, fmt.Sprintf("%s %s retried at %s, %s after the answer, asked %s",
			v.Upstream, v.ID, fmtAt(v.Next), fmtDur(v.Waited), fmtDur(v.Asked)))
	}
	return strings.Join(parts, "; ")
}

// countList writes counts as "a 3, b 1", by name.
func countList(m map[string]int) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, 0, len(keys))
	for _, k := range keys {
		name := k
		if name == "" {
			name = "(none)"
		}
		parts = append(parts, fmt.Sprintf("%s %d", name, m[k]))
	}
	return strings.Join(parts, ", ")
}
