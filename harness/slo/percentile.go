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
