package slo

import "time"

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
	// SettledAt is when the SUT served successfully again for good (TTF = SettledAt −
	// Start): when the first answer served through the fault to a request scheduled after
	// the last failure began to arrive (its first token, else its end). SettledOK counts
	// the samples served through the fault after the last failure, up to the window's end.
	SettledAt time.Duration
	SettledOK int
	// Served counts the window's OK samples served through the fault: answered before
	// the fault ended, or by an upstream that was not faulted during the window.
	// Recovered counts the OK samples answered at or after the fault's end by an upstream
	// faulted during the window (the provider recovering, not the app failing over), by
	// upstream in RecoveredBy; RecoveredAfterLast is how many of them came after the last
	// failure. Neither kind of sample is a failure; only Served ones settle the SUT.
	Served             int
	Recovered          int
	RecoveredBy        map[string]int
	RecoveredAfterLast int
	// Primary is the upstream failback waits for ("" when failback is not measured);
	// FailbackNA says why failback is not measured ("" when it is). FailbackAt is when
	// the first primary answer from which its share stayed at the threshold began to
	// arrive (its first token, else its end); Horizon is how long
	// it had to (the next LLM fault's start, or the run's end); PrimaryShare is the
	// primary's share of served samples from End to Horizon.
	Primary      string
	FailbackNA   string
	FailbackAt   time.Duration
	Horizon      time.Duration
	PrimaryShare float64
	// AfterSamples is how many samples lay between the fault's end and Horizon, and
	// WindowSamples the rolling window failback needs; AfterSamples < WindowSamples means
	// the recovery was too short to measure failback (it reads never).
	AfterSamples, WindowSamples int
}
