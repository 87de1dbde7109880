package slo

import (
	"fmt"
	"time"
)

// FailOverWithin succeeds when the run's ttf (worst over its fault windows) is at most d.
// A failover that never settled fails; a run without fault passes.
func FailOverWithin(d time.Duration) *SLOMatcher {
	return &SLOMatcher{
		what: fmt.Sprintf("fail over within %s", fmtDur(d)),
		slos: []SLO{{Metric: MetricTTF, Op: OpLessEq, Duration: d, Threshold: d.Seconds()}},
	}
}
