package slo

import (
	"fmt"
	"sort"
	"strings"
)

// observation is an SLO's metric read from Metrics: the value in the SLO's unit, how
// it reads, what explains it, and whether there was anything to measure. With measured
// false, an empty explain means "n/a, passes" and a non-empty one "nothing measured, fails".
type observation struct {
	value    float64
	shown    string
	explain  string
	measured bool
	// ratio is set for a ratio over samples: its 95% interval over n samples.
	ratio *ratioCI
}

// ratioCI is a ratio's 95% Wilson interval and the sample count behind it.
type ratioCI struct {
	ci Interval
	n  int
}

// observe reads the plain (non-ttf, non-percentile) metrics of s from m; pm is the
// SLO's phase (the whole run when it names none).
func observe(s SLO, m Metrics, pm PhaseMetrics) observation {
	switch s.Metric {
	case MetricAvailability:
		if pm.Requests == 0 {
			return observation{shown: "n/a", explain: fmt.Sprintf("%s: no sample was scheduled", s.name())}
		}
		return observation{pm.Availability, fmt.Sprintf("%.4g (%d/%d)", pm.Availability, pm.OK, pm.Requests), failureStory(pm), true,
			&ratioCI{pm.AvailabilityCI, pm.Requests}}
	case MetricAmplification:
		if pm.Sent == 0 {
			return observation{shown: "n/a", explain: fmt.Sprintf("%s: no request was sent", s.name())}
		}
		if pm.AmplificationNA != "" {
			return observation{shown: pm.AmplificationNA, explain: fmt.Sprintf(
				"%s cannot be judged, %s (a refused or blackholed attempt never reaches a mock, so a retry storm would not show): judge retries in a phase with a protocol fault (status 503, rate-limit), or drop this SLO",
				s.name(), strings.TrimPrefix(pm.AmplificationNA, "n/a: "))}
		}
		return observation{pm.Amplification, fmt.Sprintf("%.3g", pm.Amplification),
			fmt.Sprintf("%d LLM attempts for %d requests sent (%s)", pm.Attempts, pm.Sent, countList(pm.AttemptsBy)), true, nil}
	case MetricSilentTruncations:
		return observeTruncations(pm)
	case MetricRetryAfterViolations:
		return observation{float64(m.RetryAfterViolations), fmt.Sprint(m.RetryAfterViolations), violationStory(m.Violations), true, nil}
	case MetricNonRetryableRetries:
		return observation{float64(m.NonRetryableRetries), fmt.Sprint(m.NonRetryableRetries), nonRetryableStory(m.NonRetryable), true, nil}
	case MetricMaxErrorBurst, MetricMaxErrorBurstDuration:
		b := m.MaxErrorBurst
		story := "no failed sample"
		if b.Count > 0 {
			story = fmt.Sprintf("longest error burst %s from %s lasting %s", plural(b.Count, "sample", "samples"), fmtAt(b.Start), fmtDur(b.Duration))
		}
		if s.Metric == MetricMaxErrorBurst {
			return observation{float64(b.Count), fmt.Sprint(b.Count), story, true, nil}
		}
		return observation{b.Duration.Seconds(), fmtDur(b.Duration), story, true, nil}
	case MetricTelemetryLatencyRatio, MetricTelemetryAvailability, MetricTelemetryResumed:
		return observeTelemetry(s, m.Telemetry)
	}
	return observation{shown: "n/a", explain: fmt.Sprintf("metric %q cannot be evaluated", s.Metric)}
}

func observeTelemetry(s SLO, t Telemetry) observation {
	if !t.Faulted {
		return observation{shown: "n/a (no collector fault)"}
	}
	story := fmt.Sprintf("while the collector was faulted: availability %.4g, p99 %s over %s; steady state: availability %.4g, p99 %s over %s",
		t.FaultedAvailability, fmtDur(t.FaultedP99), plural(t.FaultedRequests, "sample", "samples"),
		t.SteadyAvailability, fmtDur(t.SteadyP99), plural(t.SteadyRequests, "sample", "samples"))
	switch s.Metric {
	case MetricTelemetryLatencyRatio:
		if t.LatencyRatio == 0 {
			return observation{shown: "n/a", explain: "telemetry_latency_ratio: nothing to compare; " + story}
		}
		return observation{t.LatencyRatio, fmt.Sprintf("%.3g", t.LatencyRatio), story, true, nil}
	case MetricTelemetryAvailability:
		if t.FaultedRequests == 0 {
			return observation{shown: "n/a", explain: "telemetry_availability: no sample was scheduled while the collector was faulted"}
		}
		return observation{t.FaultedAvailability, fmt.Sprintf("%.4g", t.FaultedAvailability), story, true,
			&ratioCI{t.FaultedAvailabilityCI, t.FaultedRequests}}
	}
	if t.Resumed {
		return observation{1, "1", fmt.Sprintf("collector faults ended by %s; exports accepted again from %s", fmtAt(t.LastFaultEnd), fmtAt(t.ResumedAt)), true, nil}
	}
	return observation{0, "0", fmt.Sprintf("collector faults ended by %s; no export was accepted after that", fmtAt(t.LastFaultEnd)), true, nil}
}

// failureStory summarises pm's failed samples: counts by outcome, first and last.
func failureStory(pm PhaseMetrics) string {
	if pm.Failed == 0 {
		return "no sample failed"
	}
	by := map[string]int{}
	for o, n := range pm.Outcomes {
		if o != "ok" {
			by[o] = n
		}
	}
	return fmt.Sprintf("%s failed (%s), scheduled %s–%s", plural(pm.Failed, "sample", "samples"), countList(by),
		fmtAt(pm.FirstFailed), fmtAt(pm.LastFailed))
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
