package slo

import (
	"math"
	"testing"
)

// TestWilsonInterval checks the 95% Wilson score interval against published values
// (Newcombe 1998, table I, method 3, and the textbook 8 of 10 case).
func TestWilsonInterval(t *testing.T) {
	cases := []struct {
		k, n      int
		low, high float64
	}{
		{81, 263, 0.2553, 0.3662},
		{15, 148, 0.0624, 0.1605},
		{0, 20, 0, 0.1611},
		{1, 29, 0.0061, 0.1718},
		{8, 10, 0.4902, 0.9433},
		{40, 40, 0.9124, 1},
		{0, 0, 0, 1},
	}
	for _, c := range cases {
		got := wilson(c.k, c.n)
		if math.Abs(got.Low-c.low) > 5e-5 || math.Abs(got.High-c.high) > 5e-5 {
			t.Errorf("wilson(%d, %d) = [%.4f, %.4f], want [%.4f, %.4f]", c.k, c.n, got.Low, got.High, c.low, c.high)
		}
	}
	// All or none: the bound is exactly 1 or 0, not a rounding short of it.
	for _, n := range []int{1, 7, 100, 263, 10000} {
		if got := wilson(n, n).High; got != 1 {
			t.Errorf("wilson(%d, %d).High = %v, want exactly 1", n, n, got)
		}
		if got := wilson(0, n).Low; got != 0 {
			t.Errorf("wilson(0, %d).Low = %v, want exactly 0", n, got)
		}
	}
}
