package slo

import "math"

// Interval is a 95% confidence interval of a ratio: [Low, High].
type Interval struct {
	Low, High float64
}

// Contains reports whether x lies in [Low, High].
func (i Interval) Contains(x float64) bool {
	const eps = 1e-12
	return x >= i.Low-eps && x <= i.High+eps
}

// wilsonZ is the standard normal quantile of a two-sided 95% interval.
const wilsonZ = 1.959963984540054

// wilson is the 95% Wilson score interval of k successes in n trials ([0, 1] for n = 0):
// centre (p̂ + z²/2n) / (1 + z²/n), half-width z·√(p̂(1−p̂)/n + z²/4n²) / (1 + z²/n).
func wilson(k, n int) Interval {
	if n <= 0 {
		return Interval{0, 1}
	}
	p, nf, z2 := float64(k)/float64(n), float64(n), wilsonZ*wilsonZ
	den := 1 + z2/nf
	centre := (p + z2/(2*nf)) / den
	half := wilsonZ * math.Sqrt(p*(1-p)/nf+z2/(4*nf*nf)) / den
	iv := Interval{Low: max(0, centre-half), High: min(1, centre+half)}
	// The bounds at k = 0 and k = n are exactly 0 and 1; rounding would leave
	// 0.9999999999999999 (a report would show 100 % as not quite in its own interval).
	switch k {
	case 0:
		iv.Low = 0
	case n:
		iv.High = 1
	}
	return iv
}
