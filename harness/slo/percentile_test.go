package slo

import (
	"testing"
	"time"
)

func TestPercentileIsNearestRank(t *testing.T) {
	ms := func(n ...int) []time.Duration {
		out := make([]time.Duration, len(n))
		for i, v := range n {
			out[i] = time.Duration(v) * time.Millisecond
		}
		return out
	}
	ten := ms(1, 2, 3, 4, 5, 6, 7, 8, 9, 10)
	for _, c := range []struct {
		p    float64
		want int
	}{{50, 5}, {90, 9}, {91, 10}, {99, 10}, {100, 10}, {10, 1}, {0.1, 1}} {
		if got := percentile(ten, c.p); got != time.Duration(c.want)*time.Millisecond {
			t.Errorf("p%g of 1..10ms = %v, want %dms", c.p, got, c.want)
		}
	}
	if got := percentile(nil, 99); got != 0 {
		t.Errorf("p99 of nothing = %v", got)
	}
	p := percentiles(ms(30, 10, 20))
	if p.N != 3 || p.P50 != 20*time.Millisecond || p.P99 != 30*time.Millisecond || p.Max != 30*time.Millisecond {
		t.Errorf("percentiles = %+v", p)
	}
}
