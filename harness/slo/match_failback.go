package slo

import (
	"fmt"
	"time"
)

// FailBackWithin succeeds when the run's failback (worst over its fault windows) is at
// most d. Traffic that never returned to the primary fails.
func FailBackWithin(d time.Duration) *SLOMatcher {
	return &SLOMatcher{
		what: fmt.Sprintf("fail back within %s", fmtDur(d)),
		slos: []SLO{{Metric: MetricFailback, Op: OpLessEq, Duration: d, Threshold: d.Seconds()}},
	}
}
