package slo

import "time"

// Metrics are the measurements of the design (docs/design.md) over one Result. Times are offsets from the
// run's start. Compute fills them; the package doc gives each algorithm.
type Metrics struct {
	// Scenario is the Result's scenario name (additive).
	Scenario string
	// TTF is the worst time to failover over the run's fault windows.
	TTF Measure
	// Failback is the worst time to fail back over the run's fault windows.
	Failback Measure
	// Amplification is upstream attempts (LLM upstreams) / driver requests sent, whole
	// run: the same number as Run.Amplification. NaN when it is not measurable (a down or
	// blackhole fault on an LLM upstream hid attempts; Run.AmplificationNA says so).
	Amplification float64
	// MaxErrorBurst is the longest run of consecutive failed samples.
	MaxErrorBurst Burst
	// RetryAfterViolations counts attempts that came sooner than the Retry-After the mock asked for.
	RetryAfterViolations int
	// Violations lists those attempts (additive: the detail behind RetryAfterViolations).
	Violations []RetryAfterViolation
	// NonRetryableRetries counts attempts that followed, on the same upstream for the
	// same correlation id, an answer the provider marked as not to be retried.
	NonRetryableRetries int
	// NonRetryable lists them (additive: the detail behind NonRetryableRetries).
	NonRetryable []NonRetryableRetry
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
	// ServedBy counts the OK answers served (Ended) during this phase, by the upstream
	// that served them: where the user got them. A request scheduled in an outage whose
	// retry landed after it counts in the phase it was answered in. An answer that came
	// after the last phase ended counts in the last phase.
	ServedBy map[string]int
	// Attempts is upstream attempts (LLM upstreams) for requests scheduled in this phase
	// that reached a mock.
	Attempts int
	// Amplification is Attempts / Sent; NaN when not measurable (AmplificationNA).
	Amplification float64
	// Outcomes counts samples by outcome.
	Outcomes map[string]int

	// The rest is additive: what SLO checks and their reasons read.

	// Sent counts the requests the driver sent to the SUT: one per sample not dropped,
	// two for a tool-calling sample that followed its tool call up (Sample.Turns):
	// amplification's denominator.
	Sent int
	// ToolCallTurns counts the samples whose answer was a tool call (Sample.ToolCalls > 0).
	ToolCallTurns int
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
	// ServedByScheduled counts the OK samples scheduled in this phase by the upstream
	// that served them, whenever that was (ServedBy before it was placed by Ended).
	ServedByScheduled map[string]int
	// AvailabilityCI is the 95% Wilson score interval of Availability over Requests.
	AvailabilityCI Interval
	// AmplificationNA says why Amplification is not measurable ("" when it is): a down
	// or blackhole fault on an LLM upstream overlapped the phase, so refused or
	// blackholed attempts never reached a mock.
	AmplificationNA string
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
	// FaultedAvailabilityCI and SteadyAvailabilityCI are the 95% Wilson intervals of the
	// two availabilities over FaultedRequests and SteadyRequests (additive).
	FaultedAvailabilityCI, SteadyAvailabilityCI Interval
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
// Requests, OK, SuccessRate and P99 are over the samples scheduled in the bucket;
// ServedBy counts the OK answers served (Ended) in it, by upstream (an answer after the
// last bucket counts in the last).
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
