// Package slo turns a harness.Result into Metrics (Compute) and judges SLO expressions
// against those Metrics (Parse, Evaluate), with Gomega matchers for Go suites. Compute
// reads only the Result's facts: Samples, Journals, Events, Phases, Interval and Kinds.
//
// One computation per number: Evaluate(m, slos) reads Metrics only, never the Result,
// so every Check.Value is a field of Metrics — the phase's PhaseMetrics for an SLO that
// names a phase, Metrics.Run (the whole run measured as one phase) for one that names
// none — and a report built from the same Metrics shows exactly the number that was
// judged. EvaluateResult and EvaluateStrings are the conveniences that Compute once and
// Evaluate.
//
// # Time base and attribution
//
// Every time in Metrics is an offset from Result.Start (or, when Start is zero, from the
// earliest recorded instant). A sample belongs to the phase it names (Sample.Phase) when
// the run has that phase, else to the phase span holding its Scheduled time. Requests,
// availability and latency place a sample by Scheduled: latency counts from there, so a
// stalled SUT cannot hide its stall. What the user got is placed where the user got it:
// served-by counts an answer in the phase (and series bucket) holding its Ended, and
// ttf and failback time a success by its answer's first token (below). A sample is a
// failure unless its Outcome is ok; dropped samples (never sent) are failures too.
//
// # Metrics
//
// availability(phase) = OK samples / samples scheduled in the phase (0 with no sample),
// with its 95% Wilson score interval over those samples (PhaseMetrics.AvailabilityCI;
// [0, 1] with no sample): centre (p̂ + z²/2n) / (1 + z²/n), half-width
// z·√(p̂(1−p̂)/n + z²/4n²) / (1 + z²/n), z = 1.96. Telemetry availabilities carry theirs.
//
// served-by(phase) counts the OK answers served (Ended) during the phase, by the upstream
// that served them (an answer after the last phase counts in the last): a request
// scheduled in an outage and answered by the recovered primary after it counts in the
// phase it was answered in, so no phase shows an upstream serving while it could not.
// ServedByScheduled keeps the count by schedule. The series does the same per bucket.
//
// latency = Ended − Scheduled over samples that were sent (not dropped, Ended set), OK or
// not (a timeout weighs in with its full latency); ttft = FirstToken − Scheduled over
// samples where a byte arrived. Percentiles are nearest-rank: the value at rank
// ⌈p/100 · N⌉ of the sorted set (1-based), so p100 is the maximum and every percentile
// is a latency that really happened. Percentiles holds p50, p90, p95, p99 and max, the
// slowest sample (the earliest scheduled on a tie), and answers any other p from the
// same sorted set (Percentiles.At).
//
// Fault windows pair fault_applied and fault_reverted events by FaultID; a fault never
// reverted lasts until the run's end. Each event is stamped when the fault's Apply (or
// revert) began, not when it returned (the event's Took says how long it took): the
// window is the conservative one, so a slow Apply on a loaded machine makes ttf and
// failback read longer, never shorter, than what the app did.
//
// ttf of a window [Start, End) on upstream U judges what users got while the fault was
// on. Take the samples scheduled in it, plus the samples in flight at Start (scheduled
// before it, ended after it) that failed — a request the fault cut is a failure the user
// saw. Each sample of the window is one of:
//
//   - failed: not OK;
//   - recovered: OK, but answered (Ended) at or after End by an upstream that was itself
//     faulted during the window (U, or one whose fault window overlaps it): the provider
//     came back, the app did not get around the fault. It neither fails nor settles;
//   - served through the fault: every other OK sample (answered before End, or by an
//     upstream that was not faulted).
//
// With nothing served through the fault, ttf is `never`: the app did not fail over (the
// reason says "every success in the window came from U after the fault ended" when
// there were recovered samples). Otherwise, with no failure, ttf = 0 (transparent
// failover). Otherwise find the last failure; the SUT settled if at least
// DefaultSettleSamples (WithSettleSamples) samples scheduled after it were served
// through the fault — or a quarter of the window's samples, at least 1, for a window too
// short for that — and settled = when the first of them began to arrive (its first
// token; its end when it has none), an instant the app can only reach after it decided
// to serve the request, however late the driver sent it; ttf = settled − Start. Fewer is
// `never`. A flapping app's last failure is near the window's end, so its ttf is late or
// never: it is never declared settled while it still fails. A window with no sample
// scheduled in it has nothing to measure (None).
//
// So an app that only rides a fault out — retries the same provider until it is back —
// reads `never` when the fault outlasts its patience (its late successes are the
// provider's recovery), and `never` too when it waits out a fault shorter than its
// patience: every request succeeds (availability 1, latency up to the fault's length),
// but nothing was served while the fault was on. Judge such an app with availability and
// latency SLOs; ttf measures failover. For a SUT that fails over exactly D after the
// fault's start, ttf lies in [D, D + one interval + the answer's time to first token]
// (the first request after the switch comes within an interval).
//
// failback of a window: measured only for a fault on an LLM upstream (a kind whose
// UpstreamKind.IsLLM: openai, anthropic, gemini, azure-openai, bedrock; every upstream
// when Result.Kinds is empty), else None. The primary is the
// faulted upstream, or the WithPrimary name; without WithPrimary, a window whose
// upstream did not carry at least DefaultFailbackShare of the served samples just
// before the fault (the last rolling window of them) is None: there is nothing to fail
// back to. A window followed at once (within one interval) by another fault window on the
// same upstream is None too: the fault goes on (a ramp across phases), and failback is
// judged at the end of the last window of that chain. An app that never left the
// primary — no OK sample scheduled from the fault's (chain's) start to the horizon was
// served by another upstream — has nothing to fail back from: None, and the failback
// SLO reads "n/a (never failed over)" with the reason (its ttf SLO fails instead).
// From End up to the horizon (the next fault window on an LLM upstream, or the
// run's end) slide a window of W = max(DefaultFailbackMinSamples, ⌈DefaultFailbackWindow
// / interval⌉) samples (WithFailbackWindow, WithFailbackShare); a window is good when
// ≥ DefaultFailbackShare of its served samples (ServedBy set) name the primary. Take the
// earliest position from which every later window is good; failback = when the first
// primary-served answer from there began to arrive (first token, else end) − End.
// `never` when the last window is not good or fewer than W samples reach the horizon.
// FaultWindow.FailbackNA says why a window's failback was not measured.
//
// The run's TTF and Failback are the worst over its windows: `never` beats any value,
// any value beats None; None when there is no window (or nothing was measured).
//
// amplification(phase) = attempts in LLM journals for the phase's requests / requests
// the driver sent to the SUT for the phase's samples: one per sample not dropped, two
// for a tool-calling sample that followed its tool call up with the result
// (Sample.Turns), so an app that answers each turn with one attempt reads 1. An attempt
// belongs to the phase of the sample with its correlation id, else (no or unknown id)
// to the phase holding its arrival. The whole run's amplification is all LLM attempts /
// all requests sent. Not measurable where attempts cannot be seen: a phase whose span
// overlaps a down or blackhole fault (flapping or not) on an LLM upstream — a refused or
// blackholed attempt never reaches a mock — reads NaN with AmplificationNA "n/a:
// attempts not visible through a down fault on primary", never a number below 1; so
// does the whole run when any such fault happened. Protocol faults (status, rate-limit,
// …) are played by the mock, which journals every attempt.
//
// retry_after_violations: attempts in every journal, grouped by upstream and
// correlation id (a failover to another upstream is not a retry), in arrival order.
// An attempt whose previous attempt was answered with RetryAfter > 0 and that arrived
// before previous.Arrived + previous.Duration + RetryAfter − DefaultRetryAfterTolerance
// (WithRetryAfterTolerance) is a violation.
//
// non_retryable_retries: attempts in the LLM journals, grouped by upstream and
// correlation id, in arrival order; every attempt of a group that comes after the
// group's first answer the mock marked non-retryable (control.Attempt.NonRetryable: a
// 4xx other than 408, 409 and 429, a 429 insufficient_quota, an in-stream
// context-length error, or x-should-retry: false) counts once. Same upstream only: a
// failover to another upstream after a 401 or a context-length error is legitimate (the
// other provider has its own key, quota and context window); another attempt at the
// same one is the retry storm that wastes money and hides the real error. A tool call's
// follow-up after a successful first turn is not a retry (no non-retryable answer came
// before it).
//
// silent_truncations(phase): samples of the phase (whole run when none is named) whose
// response claimed to be whole ([DONE], message_stop, response.completed, a complete
// JSON body) but whose answer failed llm.Verify, or whose tool call's arguments failed
// llm.VerifyToolCall (the app relayed {} or half the JSON as if whole):
// load.OutcomeTruncated. A cut the app reported (an error frame, no [DONE], a finish
// reason that says the answer ended early) is a failure, not a silent truncation.
//
// max_error_burst: the longest run of consecutive failed samples by Seq (the first on
// a tie); its duration runs from the first's Scheduled to the last's Ended.
//
// Telemetry isolation: the samples scheduled inside a fault window on an otlp upstream
// against steady samples (in phases where no fault was applied, outside every window):
// availability, p99 latency and their ratio telemetry_latency_ratio = faulted p99 /
// steady p99. telemetry_resumed is 1 when every faulted collector's journal holds an
// export with Accepted > 0 arriving at or after the end of its last fault window.
//
// Series: buckets of DefaultBucket (WithBucket), widened to a multiple of 100 ms when
// the run would need more than DefaultMaxPoints, by Scheduled: requests, OK, success
// rate, p99 latency and OK samples by ServedBy.
//
// # SLO expressions
//
// An SLO is METRIC OP VALUE:
//
//	OP     = "<" | "<=" | ">" | ">=" | "=="
//	METRIC = "ttf" | "failback"                                  duration
//	       | "availability" [ "(" PHASE ")" ]                     ratio
//	       | PCT "(" ( "latency" | "ttft" ) [ "," PHASE ] ")"      duration
//	       | "amplification" [ "(" PHASE ")" ]                    number
//	       | "retry_after_violations" | "max_error_burst"         number
//	       | "non_retryable_retries"                              number
//	       | "max_error_burst_duration"                           duration
//	       | "telemetry_latency_ratio"                            number
//	       | "telemetry_availability"                             ratio
//	       | "telemetry_resumed"                                  flag (0 or 1)
//	       | "silent_truncations" [ "(" PHASE ")" ]               number
//	PCT    = "p50" | "p90" | "p95" | "p99" | "max"
//	PHASE  = letters, digits, "_", "-", "." (a phase of the timeline; none = whole run)
//	VALUE  = a duration ("2s", "1500ms", or "0"), a number ("0.99", "2"), or a
//	         percentage ("99%", ratios only)
//
// A duration metric takes a duration, a ratio a number in [0, 1] or a percentage, a
// number a non-negative number, a flag 0 or 1; anything else is a parse error that says
// what to write. Parse does not know the timeline: ParseWithPhases (or SLO.Phases in a
// loader) checks phase names early, and Evaluate fails a check naming an unknown phase.
//
// Evaluation: ttf and failback `never` fail every ttf/failback SLO, whatever the
// operator; None (no fault window, or nothing to fail back from) passes with Observed
// "n/a (…)" ("n/a (never failed over)", with the reason, for an app that never left
// the primary). Telemetry SLOs pass as n/a when no collector was faulted. An SLO over a
// phase with no sample fails ("nothing measured"). An amplification SLO over a phase
// (or run) whose amplification is not measurable fails: Observed is the n/a text and
// the reason says it cannot be judged and what to do. It fails rather than passes
// because a check that cannot see attempts cannot tell a retry storm from none, and a
// passing verdict would certify what was never observed; the fix is in the scenario
// (judge retries under a protocol fault), so the failure points there.
//
// A ratio SLO (availability, telemetry_availability) whose threshold lies inside the
// ratio's 95% Wilson interval is inconclusive: Check.Inconclusive is set, Check.Interval
// and Check.N hold the interval and its sample count, and the Reason (also of a passing
// check) ends with "inconclusive: raise the rate or the phase length (95% interval
// L–H over N samples holds the threshold T)". It still passes or fails on the point
// value, so verdicts and exit codes do not change.
//
// For reports and repeated runs: every ratio carries its sample count and interval
// (PhaseMetrics.Requests and AvailabilityCI, Telemetry's FaultedRequests/SteadyRequests
// and their CIs, Check.N and Check.Interval); Check.Inconclusive marks a judgement the
// samples cannot support; PhaseMetrics.AmplificationNA and FaultWindow.FailbackNA say
// why a figure is missing; PhaseMetrics.ServedBy and ServedByScheduled give both views
// of who served; FaultWindow.Served, Recovered and RecoveredBy give the ttf timeline. A
// run repeated N times compares Checks by Expr: Value (with Never), Pass and
// Inconclusive are all a flakiness summary needs.
//
// A failed Check's Reason tells the timeline behind it: for ttf the fault, its failures
// and when (whether) the SUT settled, or that every success came from the recovered
// provider; for failback when traffic returned to the primary; for availability the
// failures by outcome; for percentiles the slowest sample. A passing Check's Reason is
// empty unless it is inconclusive or not measured (failback n/a says why).
package slo
