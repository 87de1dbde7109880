package slo

import (
	"math"
	"sort"
	"time"
)

// percentile is the nearest-rank p-th percentile (0 < p ≤ 100) of sorted: the value at
// rank ⌈p/100 · N⌉ (1-based). 0 for an empty set.
func percentile(sorted []time.Duration, p float64) time.Duration {
	n := len(sorted)
	if n == 0 {
		return 0
	}
	rank := int(math.Ceil(p / 100 * float64(n)))
	rank = min(max(rank, 1), n)
	return sorted[rank-1]
}

// percentiles sorts ds in place and summarises them (Slowest is left to the caller).
func percentiles(ds []time.Duration) Percentiles {
	sort.Slice(ds, func(i, j int) bool { return ds[i] < ds[j] })
	return Percentiles{
		N:      len(ds),
		P50:    percentile(ds, 50),
		P90:    percentile(ds, 90),
		P95:    percentile(ds, 95),
		P99:    percentile(ds, 99),
		Max:    percentile(ds, 100),
		sorted: ds,
	}
}

// Percentiles of a set of durations; N is how many there were.
type Percentiles struct {
	N                  int
	P50, P90, P99, Max time.Duration
	// P95 (additive).
	P95 time.Duration
	// Slowest is the sample whose duration is Max (the earliest scheduled on a tie) (additive).
	Slowest SampleRef
	// sorted holds the durations in order, so At answers any percentile from the same set.
	sorted []time.Duration
}

// At is the nearest-rank p-th percentile (0 < p ≤ 100) of the set: P50, P90, P95, P99
// and Max for those p, the same rule for any other (0 for an empty set).
func (p Percentiles) At(pct float64) time.Duration {
	switch pct {
	case 50:
		return p.P50
	case 90:
		return p.P90
	case 95:
		return p.P95
	case 99:
		return p.P99
	case 100:
		return p.Max
	}
	return percentile(p.sorted, pct)
}

// SampleRef names one sample for a reason text: which it was, when it was scheduled (an
// offset from the run's start), its measured duration (latency or ttft, by context),
// and how it ended.
type SampleRef struct {
	Seq       int
	ID        string
	Scheduled time.Duration
	Value     time.Duration
	Outcome   string
	Error     string
}
