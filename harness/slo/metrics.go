package slo

import "time"

// Metrics are the measurements of DESIGN.md over one Result. Times are offsets from the
// run's start. Compute fills them; the package doc gives each algorithm.
type Metrics struct {
	// TTF is the worst time to failover over the run's fault windows.
	TTF Measure
	// Failback is the worst time to fail back over the run's fault windows.
	Failback Measure
	// Amplification is upstream attempts (LLM upstreams) / driver requests sent, whole run.
	Amplification float64
	// MaxErrorBurst is the longest run of consecutive failed samples.
	MaxErrorBurst Burst
	// RetryAfterViolations counts attempts that came sooner than the Retry-After the mock asked for.
	RetryAfterViolations int
	Phases               []PhaseMetrics
	Faults               []FaultWindow
	// Series is the run in fixed buckets, for the charts.
	Series []Point
	// Bucket is the width of a Series point.
	Bucket time.Duration
}

// PhaseMetrics are one phase's numbers.
type PhaseMetrics struct {
	Name         string
	Start, End   time.Duration
	Requests     int
	OK           int
	Availability float64
	Latency      Percentiles
	TTFT         Percentiles
	// ServedBy counts OK samples by the upstream that served them.
	ServedBy map[string]int
	// Attempts is upstream attempts (LLM upstreams) for requests scheduled in this phase.
	Attempts      int
	Amplification float64
	// Outcomes counts samples by outcome.
	Outcomes map[string]int
}

// Percentiles of a set of durations; N is how many there were.
type Percentiles struct {
	N                  int
	P50, P90, P99, Max time.Duration
}

// FaultWindow is one fault's stretch of the run and what it did to the SUT.
type FaultWindow struct {
	ID, Upstream, Kind, Detail string
	Start, End                 time.Duration
	TTF                        Measure
	Failback                   Measure
}

// Point is one bucket of the time series.
type Point struct {
	T           time.Duration
	Requests    int
	OK          int
	SuccessRate float64
	P99         time.Duration
	ServedBy    map[string]int
}

// Burst is a run of consecutive failed samples.
type Burst struct {
	Count    int
	Start    time.Duration
	Duration time.Duration
}
