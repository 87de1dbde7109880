// Package slotest simulates runs: it builds the harness.Result a modelled app would
// produce under a fault timeline, so slo's metrics can be checked against a known truth.
package slotest

import (
	"time"

	"github.com/llmchaos/llmchaos/harness"
)

// The simulated upstreams and their kinds.
const (
	Primary   = "primary"   // openai
	Secondary = "secondary" // anthropic
	Collector = "collector" // otlp
)

// Defaults of a SimSpec.
const (
	DefaultInterval      = 50 * time.Millisecond
	DefaultLatency       = 20 * time.Millisecond
	DefaultFailedLatency = 5 * time.Millisecond
	// DefaultExportEvery is how often the simulated app exports telemetry.
	DefaultExportEvery = 500 * time.Millisecond
)

// SimSpec is a run to simulate: the timeline, the load and the app's behaviour.
type SimSpec struct {
	Scenario string
	// Start is the run's start (zero: 2026-01-01 00:00 UTC).
	Start time.Time
	// Interval is the request interval (default DefaultInterval).
	Interval time.Duration
	// Latency is an OK request's latency (default DefaultLatency).
	Latency time.Duration
	Phases  []Phase
	App     App
}

// Phase is a stretch of the simulated timeline and its faults.
type Phase struct {
	Name     string
	Duration time.Duration
	Faults   []Fault
}

// Fault is a fault on one upstream, from Offset into its phase for Duration (0: to the
// phase's end). Only faults on Primary make the app fail over; faults on Collector stop
// its telemetry exports and may slow it (App.TelemetryPenalty). Under a down or
// blackhole fault on Primary a failed request's attempts never reach its journal; under
// any other kind (a protocol fault: "status", "rate-limit", …) each failed attempt is
// journaled, answered 503.
type Fault struct {
	Upstream string
	// Kind is the fault's type name (default "down").
	Kind             string
	Offset, Duration time.Duration
}

// App is how the simulated app behaves.
type App struct {
	// FailoverDelay: while Primary is faulted, requests scheduled before fault start +
	// FailoverDelay fail; later ones are served by Secondary.
	FailoverDelay time.Duration
	// NeverFailsOver: every request fails while Primary is faulted.
	NeverFailsOver bool
	// RetryPrimaryEvery > 0: the app never fails over; a request that meets Primary's
	// fault retries Primary up to RetryPrimaryTimes times (at least once),
	// RetryPrimaryEvery apart. A retry that lands at or after the fault's end is served
	// by Primary (late: it rode the fault out); if none does, the request fails.
	RetryPrimaryEvery time.Duration
	RetryPrimaryTimes int
	// Flap: while Primary is faulted the app alternates Flap-long bursts of failures and
	// successes, starting with failures (FailoverDelay is ignored).
	Flap time.Duration
	// FailbackDelay: after Primary's fault ends, requests keep going to Secondary for this long.
	FailbackDelay time.Duration
	// NeverFailsBack: after Primary's first fault, traffic stays on Secondary.
	NeverFailsBack bool
	// Retries is how many times each served request is first answered 429 (with
	// RetryAfter) and retried by the app: each request makes Retries+1 attempts.
	Retries int
	// RetryAfter is what the 429 answers ask; the app waits that long (plus 1 ms)
	// before retrying unless IgnoreRetryAfter, when it waits 1 ms.
	RetryAfter       time.Duration
	IgnoreRetryAfter bool
	// NonRetryable makes the Retries answers non-retryable ones (429 insufficient_quota,
	// Attempt.NonRetryable) that the app retries anyway: a retry storm on an error that
	// must not be retried.
	NonRetryable bool
	// FailedLatency is a failed request's latency (default DefaultFailedLatency).
	FailedLatency time.Duration
	// TelemetryPenalty is added to the latency of requests scheduled while Collector is faulted.
	TelemetryPenalty time.Duration
	// TelemetryNeverResumes: no export is accepted after Collector's first fault.
	TelemetryNeverResumes bool
}

// Simulate builds the Result of spec's run.
func Simulate(spec SimSpec) *harness.Result {
	sm := newSim(spec)
	sm.timeline()
	sm.requests()
	sm.exports()
	return sm.r
}
