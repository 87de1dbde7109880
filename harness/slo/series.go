package slo

import (
	"time"

	"github.com/llmchaos/llmchaos/harness/load"
)

// bucketWidth is the option, or DefaultBucket widened (to a multiple of 100 ms) so the
// run fits in DefaultMaxPoints buckets.
func (rn *run) bucketWidth() time.Duration {
	if rn.cfg.bucket > 0 {
		return rn.cfg.bucket
	}
	b := DefaultBucket
	if rn.end/time.Duration(rn.cfg.maxPoints) > b {
		step := 100 * time.Millisecond
		b = (rn.end/time.Duration(rn.cfg.maxPoints) + step - 1) / step * step
	}
	return b
}

// measureSeries buckets the samples by scheduled time from the run's start (requests,
// OK, success rate, p99 latency), and their answers by the time they were served
// (served-by).
func (rn *run) measureSeries(b time.Duration) []Point {
	span := rn.end
	for _, s := range rn.samples {
		span = max(span, rn.off(s.Scheduled)+1)
	}
	n := int((span + b - 1) / b)
	if n <= 0 {
		return nil
	}
	groups := make([][]load.Sample, n)
	for _, s := range rn.samples {
		i := int(rn.off(s.Scheduled) / b)
		if i >= 0 && i < n {
			groups[i] = append(groups[i], s)
		}
	}
	out := make([]Point, n)
	for i, g := range groups {
		p := Point{T: time.Duration(i) * b, Requests: len(g), ServedBy: map[string]int{}}
		for _, s := range g {
			if s.OK() {
				p.OK++
			}
		}
		p.SuccessRate = ratio(p.OK, p.Requests)
		lat, _ := latencies(g)
		p.P99 = percentiles(lat).P99
		out[i] = p
	}
	// Served-by counts each answer in the bucket where it was served (Ended).
	for _, s := range rn.samples {
		if s.OK() && s.ServedBy != "" {
			i := min(max(int(rn.off(s.Ended())/b), 0), n-1)
			out[i].ServedBy[s.ServedBy]++
		}
	}
	return out
}
