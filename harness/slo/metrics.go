package slo

import "time"

// Metrics are the measurements of DESIGN.md over one Result. Times are offsets from the
// run's start. Compute fills them; the package doc gives each algorithm.
type Metrics struct {
	// Scenario is the Result's scenario name (additive).
	Scenario string
	// TTF is the worst time to failover over the run's fault windows.
	TTF Measure
	// Failback is the worst time to fail back over the run's fault windows.
	Failback Measure
	// Amplification is upstream attempts (LLM upstreams) / driver requests sent, whole
	// run: the same number as Run.Amplification.
	Amplification float64
	// MaxErrorBurst is the longest run of consecutive failed samples.
	MaxErrorBurst Burst
	// RetryAfterViolations counts attempts that came sooner than the Retry-After the mock asked for.
	RetryAfterViolations int
	// Violations lists those attempts (additive: the detail behind RetryAfterViolations).
	Violations []RetryAfterViolation
	// Telemetry is the telemetry-isolation measurement (additive).
	Telemetry Telemetry
	// Interval is the request interval the metrics used (Result.Interval, or inferred
	// from the samples' schedule when it is zero) (additive).
	Interval time.Duration
	// Duration is the run's length: Result.End − Result.Start, or the last recorded instant (additive).
	Duration time.Duration
	// FailbackShare is the primary's share failback waited for (DefaultFailbackShare or
	// WithFailbackShare), so a reason can say it (additive).
	FailbackShare float64
	// Run is the whole run measured as one phase (Name ""): what an SLO that names no
	// phase reads (additive). Its Start and End span the run.
	Run    PhaseMetrics
	Phases []PhaseMetrics
	Faults []FaultWindow
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

	// The rest is additive: what SLO checks and their reasons read.

	// Sent counts the samples that were sent (not dropped): amplification's denominator.
	Sent int
	// AttemptsBy counts Attempts by LLM upstream.
	AttemptsBy map[string]int
	// Failed counts the samples that were not OK; FirstFailed and LastFailed are the
	// scheduled times of the first and last of them (meaningless when Failed is 0).
	Failed                  int
	FirstFailed, LastFailed time.Duration
	// SilentTruncations counts samples with outcome truncated (Outcomes["truncated"]);
	// FirstTruncation is the first of them by schedule.
	SilentTruncations int
	FirstTruncation   SampleRef
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

// FaultWindow is one fault's stretch of the run and what it did to the SUT.
type FaultWindow struct {
	ID, Upstream, Kind, Detail string
	Start, End                 time.Duration
	TTF                        Measure
	Failback                   Measure

	// The rest is additive: the timeline behind TTF and Failback, for reasons and reports.

	// Samples is how many samples were scheduled inside the window.
	Samples int
	// Failures counts the failed samples attributed to the window (in-flight ones included);
	// FirstFailure and LastFailure are their scheduled times (meaningless when Failures is 0).
	Failures                  int
	FirstFailure, LastFailure time.Duration
	// SettledAt is when the SUT served successfully again for good (TTF = SettledAt − Start);
	// SettledOK counts the OK samples from there to the window's end.
	SettledAt time.Duration
	SettledOK int
	// Primary is the upstream failback waits for ("" when failback is not measured);
	// FailbackAt is when its share reached the threshold for good; Horizon is how long
	// it had to (the next LLM fault's start, or the run's end); PrimaryShare is the
	// primary's share of served samples from End to Horizon.
	Primary      string
	FailbackAt   time.Duration
	Horizon      time.Duration
	PrimaryShare float64
	// AfterSamples is how many samples lay between the fault's end and Horizon, and
	// WindowSamples the rolling window failback needs; AfterSamples < WindowSamples means
	// the recovery was too short to measure failback (it reads never).
	AfterSamples, WindowSamples int
}

// RetryAfterViolation is one attempt that came sooner than the Retry-After its previous
// attempt was given. Times are offsets from the run's start.
type RetryAfterViolation struct {
	Upstream, ID string
	// Previous is when the previous attempt's answer ended; Next when the early one arrived.
	Previous, Next time.Duration
	// Asked is the Retry-After the previous answer gave; Waited is Next − Previous.
	Asked, Waited time.Duration
}

// Telemetry is the SUT as seen while the telemetry collector(s) (kind otlp) were faulted,
// against the steady state (phases with no fault at all).
type Telemetry struct {
	// Faulted is true when the run had a fault window on an otlp upstream; the rest is
	// meaningful only then.
	Faulted bool
	// FaultedRequests counts samples scheduled inside a collector fault window.
	FaultedRequests     int
	FaultedAvailability float64
	FaultedP99          time.Duration
	SteadyRequests      int
	SteadyAvailability  float64
	SteadyP99           time.Duration
	// LatencyRatio is FaultedP99 / SteadyP99 (0 when either side had no samples).
	LatencyRatio float64
	// Resumed is true when every faulted collector accepted items after its last fault
	// window ended; LastFaultEnd is the latest such end, ResumedAt the first accepted
	// export after it (per collector, the latest of them).
	Resumed      bool
	LastFaultEnd time.Duration
	ResumedAt    time.Duration
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
