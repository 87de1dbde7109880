// Package harness runs chaos scenarios: it starts mock upstreams behind Toxiproxy (Env),
// starts or reaches the app under test, plays a Timeline of faults while the load driver
// sends open-loop load, and collects everything into a Result. It judges nothing:
// harness/slo turns a Result into a Verdict.
//
// harness is the small public face: Scenario (UpstreamSpec and the upstream kinds,
// SUTSpec, a load.Spec, a Timeline of Phases with FaultSpecs), ValidateScenario (the one
// home of the model's rules), Run with one RunOption family, Result and Event, Progress,
// and the ScenarioError and RunError a run can end with. The parts live beside it:
//
//	harness/fault           the fault registry: every fault type, network and protocol, Ramp, Flap
//	harness/load            the open-loop driver, the wire decoders, Spec, Sample, Outcome, Recorder
//	harness/tmpl            template data and rendering shared by the app and the driver
//	harness/internal/proxy  embedded and external Toxiproxy
//	harness/internal/sut    the app's lifecycle: process, handler or URL, readiness, log tail
//	harness/slo             metrics, SLO expressions, verdicts (reads Result)
//
// An upstream is a mock in this process, or a remote one (UpstreamSpec.Remote: a mock
// already running, driven through its admin API by a control.Client, its journal read back
// filtered to the run: the run's correlation ids then carry a run id, load.IDPrefix). A
// remote journal is a ring that drops its oldest attempts; the run fails (RunStageJournal)
// only when one after its start was dropped (JournalStats.DroppedThrough).
// UpstreamSpec.Listen fixes a proxy's address on an external Toxiproxy (WithToxiproxy).
//
// A run's memory grows with its length, within caps: it keeps every sample (at most
// DefaultMaxSamples requests a run, refused at validation past it) and its in-process
// mocks keep every attempt (control.DefaultMaxJournal each, compact entries of about
// 140 bytes, outside the collected heap; a run whose journal dropped any ends with a
// RunError, RunStageJournal). Both
// are kept whole, neither summarised nor spilled to disk, because the metrics need them
// whole: percentiles over samples, attempts grouped by correlation id (retries,
// Retry-After, non-retryable answers, amplification per phase). The soak (make soak,
// BENCHMARKS.md) measured about 1.7 KB of the harness's memory per request at 250/s.
//
// harness and its subpackages import the mocks (mocks/control, mocks/llm, ...), never
// scenarios, reports, runner or cmd.
package harness
