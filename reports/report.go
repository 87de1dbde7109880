package reports

import (
	"math"
	"sort"
	"time"

	"github.com/llmchaos/llmchaos/harness"
	"github.com/llmchaos/llmchaos/harness/slo"
)

// SchemaReport is the schema key of a per-scenario report. Tools reading reports check
// its prefix ("llmchaos.report/"); a new major version changes the suffix.
const SchemaReport = "llmchaos.report/v1"

// Verdict is a scenario's outcome: VerdictPass or VerdictFail.
type Verdict string

// The verdicts.
const (
	VerdictPass Verdict = "pass"
	VerdictFail Verdict = "fail"
)

// MeasureState says whether a measured duration happened (ttf, failback).
type MeasureState string

// The measure states. The *_ms field next to a state is null unless it is StateMeasured.
const (
	// StateMeasured: the value is in the matching *_ms field.
	StateMeasured MeasureState = "measured"
	// StateNever: it did not happen within its window (a failover that never settled).
	StateNever MeasureState = "never"
	// StateNone: there was nothing to measure (no fault in the run).
	StateNone MeasureState = "none"
)

// Report is one scenario run, as tools read it (<scenario>.json). All times are
// milliseconds from the run's start (StartedAt) unless a field says otherwise.
type Report struct {
	Schema      string `json:"schema"`
	Scenario    string `json:"scenario"`
	Description string `json:"description,omitempty"`
	// Verdict is "fail" when an SLO was breached or the run was interrupted.
	Verdict Verdict `json:"verdict"`
	// Interrupted: the run stopped before its timeline ended.
	Interrupted bool `json:"interrupted,omitempty"`
	// RunError says why the harness could not run the scenario, or stopped it (the app would
	// not start, crashed, a fault could not be applied); the verdict is then "fail".
	RunError   string    `json:"run_error,omitempty"`
	StartedAt  time.Time `json:"started_at"`
	DurationMS float64   `json:"duration_ms"`
	// IntervalMS is the driver's request interval (1/rate).
	IntervalMS float64 `json:"interval_ms"`
	SLOs       []SLO   `json:"slos"`
	// Repeats is set when the scenario ran several times (--repeat N): the verdict and
	// slos[].pass are then the judgement over the runs, the rest run Repeats.ShownRun's.
	Repeats *Repeats `json:"repeats,omitempty"`
	// Parallel is how many scenario runs ran at once (llmchaos run --parallel) when it was
	// more than one: timing SLOs were measured on a machine shared by that many runs.
	Parallel int     `json:"parallel,omitempty"`
	Metrics  Metrics `json:"metrics"`
	Phases   []Phase `json:"phases"`
	Faults   []Fault `json:"faults"`
	// BucketMS is the width of a Series point.
	BucketMS float64 `json:"bucket_ms"`
	Series   []Point `json:"series"`
	// Errors are the distinct failed-sample errors, most frequent first.
	Errors []ErrorCount `json:"errors"`
	Events []Event      `json:"events"`
	// SUTLog is the tail of the app's output, oldest line first, redacted.
	SUTLog []string `json:"sut_log"`
	// Upstreams maps each upstream name to its kind (openai, anthropic, otlp, store, tcp, http).
	Upstreams map[string]string `json:"upstreams"`
	// Unmeasured says, per real-service upstream (kind tcp or http), what the report
	// cannot measure for it: no mock journals its attempts, so they are in no
	// amplification or Retry-After figure. Absent when every upstream is a mock.
	Unmeasured []string `json:"unmeasured,omitempty"`
}

// SLO is one checked objective.
type SLO struct {
	Expr string `json:"expr"`
	// Observed is the measured value as people read it ("1.23s", "never", "0.987").
	Observed string `json:"observed"`
	// Value is the measured value in the SLO's unit (seconds for durations); null when Never.
	Value Float `json:"value"`
	Never bool  `json:"never,omitempty"`
	Pass  bool  `json:"pass"`
	// Reason says why it failed; empty when it passed, except for an inconclusive check
	// (its note), a failback not measured (why) or a flaky SLO of a repeated run.
	Reason string `json:"reason,omitempty"`
	// Inconclusive: a ratio SLO whose threshold lies inside Interval (the samples cannot
	// tell the two sides apart; it still passes or fails on Value).
	Inconclusive bool `json:"inconclusive,omitempty"`
	// Interval is a ratio SLO's 95% Wilson interval and N the samples behind it (absent
	// for other metrics).
	Interval *Interval `json:"interval,omitempty"`
	N        int       `json:"n,omitempty"`
}

// Interval is a 95% confidence interval of a ratio (Wilson score): [Low, High].
type Interval struct {
	Low  Float `json:"low"`
	High Float `json:"high"`
}

// Metrics are the run's headline measurements. TTFMS and FailbackMS are null unless
// their state is "measured"; TTFState/FailbackState then say "never" or "none".
type Metrics struct {
	TTFMS                *float64     `json:"ttf_ms"`
	TTFState             MeasureState `json:"ttf_state"`
	FailbackMS           *float64     `json:"failback_ms"`
	FailbackState        MeasureState `json:"failback_state"`
	Amplification        Float        `json:"amplification"`
	MaxErrorBurst        Burst        `json:"max_error_burst"`
	RetryAfterViolations int          `json:"retry_after_violations"`
	// RetryAfter lists the first violations (at most DefaultMaxErrors).
	RetryAfter []RetryAfterViolation `json:"retry_after,omitempty"`
	// NonRetryableRetries counts attempts after an answer the provider marked as not to
	// be retried, on the same upstream for the same request (harness/slo defines it).
	NonRetryableRetries int `json:"non_retryable_retries"`
	// NonRetryable lists the first of them (at most DefaultMaxErrors).
	NonRetryable []NonRetryableRetry `json:"non_retryable,omitempty"`
	// Telemetry is present when a telemetry collector was faulted.
	Telemetry *Telemetry `json:"telemetry,omitempty"`
	// Run is the whole run measured as one phase (name ""): what an SLO that names no
	// phase reads (availability, percentiles, truncations), so its observed value is a
	// figure of the report. Absent when the run could not run.
	Run *Phase `json:"run,omitempty"`
}

// RetryAfterViolation is one attempt that came sooner than the Retry-After it was given.
type RetryAfterViolation struct {
	Upstream   string  `json:"upstream"`
	ID         string  `json:"id"`
	PreviousMS float64 `json:"previous_ms"`
	NextMS     float64 `json:"next_ms"`
	AskedMS    float64 `json:"asked_ms"`
	WaitedMS   float64 `json:"waited_ms"`
}

// NonRetryableRetry is one attempt after a non-retryable answer.
type NonRetryableRetry struct {
	Upstream string  `json:"upstream"`
	ID       string  `json:"id"`
	AfterMS  float64 `json:"after_ms"`
	AtMS     float64 `json:"at_ms"`
	Status   int     `json:"status"`
}

// Telemetry is the app while its telemetry collector was faulted, against steady state.
type Telemetry struct {
	FaultedRequests     int   `json:"faulted_requests"`
	FaultedAvailability Float `json:"faulted_availability"`
	// FaultedAvailabilityInterval and SteadyAvailabilityInterval are the 95% Wilson
	// intervals of the two availabilities over their requests (absent with none).
	FaultedAvailabilityInterval *Interval `json:"faulted_availability_interval,omitempty"`
	SteadyAvailabilityInterval  *Interval `json:"steady_availability_interval,omitempty"`
	FaultedP99MS                float64   `json:"faulted_p99_ms"`
	SteadyRequests              int       `json:"steady_requests"`
	SteadyAvailability          Float     `json:"steady_availability"`
	SteadyP99MS                 float64   `json:"steady_p99_ms"`
	// LatencyRatio is faulted p99 / steady p99 (0 when either side had no samples).
	LatencyRatio Float `json:"latency_ratio"`
	// Resumed: every faulted collector accepted telemetry again after its last fault.
	Resumed        bool    `json:"resumed"`
	LastFaultEndMS float64 `json:"last_fault_end_ms"`
	ResumedAtMS    float64 `json:"resumed_at_ms"`
}

// Burst is the longest run of consecutive failed samples.
type Burst struct {
	Count      int     `json:"count"`
	StartMS    float64 `json:"start_ms"`
	DurationMS float64 `json:"duration_ms"`
}

// Phase is one phase's numbers.
type Phase struct {
	Name         string  `json:"name"`
	StartMS      float64 `json:"start_ms"`
	EndMS        float64 `json:"end_ms"`
	Requests     int     `json:"requests"`
	OK           int     `json:"ok"`
	Availability Float   `json:"availability"`
	// AvailabilityInterval is Availability's 95% Wilson interval over Requests (absent
	// with no request).
	AvailabilityInterval *Interval   `json:"availability_interval,omitempty"`
	LatencyMS            Percentiles `json:"latency_ms"`
	TTFTMS               Percentiles `json:"ttft_ms"`
	// ServedBy counts OK samples by the upstream that served them.
	ServedBy      map[string]int `json:"served_by"`
	Attempts      int            `json:"attempts"`
	Amplification Float          `json:"amplification"`
	// Outcomes counts samples by outcome (ok, http_error, timeout, …).
	Outcomes map[string]int `json:"outcomes"`
	// ToolCallTurns counts the samples whose answer was a tool call (a tool-calling
	// load: each then sent the tool's result in a second request).
	ToolCallTurns int `json:"tool_call_turns,omitempty"`
}

// Percentiles of a set of durations in milliseconds; N is how many there were.
type Percentiles struct {
	N   int     `json:"n"`
	P50 float64 `json:"p50"`
	P90 float64 `json:"p90"`
	P95 float64 `json:"p95"`
	P99 float64 `json:"p99"`
	Max float64 `json:"max"`
}

// Fault is one fault's window and what it did to the app.
type Fault struct {
	ID       string  `json:"id,omitempty"`
	Upstream string  `json:"upstream"`
	Kind     string  `json:"kind"`
	Detail   string  `json:"detail,omitempty"`
	StartMS  float64 `json:"start_ms"`
	EndMS    float64 `json:"end_ms"`
	// Samples were scheduled inside the window; Failures of them failed.
	Samples       int          `json:"samples"`
	Failures      int          `json:"failures"`
	TTFMS         *float64     `json:"ttf_ms"`
	TTFState      MeasureState `json:"ttf_state"`
	FailbackMS    *float64     `json:"failback_ms"`
	FailbackState MeasureState `json:"failback_state"`
}

// Point is one bucket of the time series, starting at TMS.
type Point struct {
	TMS      float64 `json:"t_ms"`
	Requests int     `json:"requests"`
	OK       int     `json:"ok"`
	// SuccessRate is null when no request was scheduled in the bucket.
	SuccessRate Float          `json:"success_rate"`
	P99MS       float64        `json:"p99_ms"`
	ServedBy    map[string]int `json:"served_by"`
}

// ErrorCount is one distinct sample failure and how often it happened.
type ErrorCount struct {
	Outcome string `json:"outcome"`
	Status  int    `json:"status,omitempty"`
	Error   string `json:"error,omitempty"`
	Count   int    `json:"count"`
	// FirstMS is when the first such sample was scheduled.
	FirstMS float64 `json:"first_ms"`
}

// Event is one thing the timeline did.
type Event struct {
	TMS       float64 `json:"t_ms"`
	Kind      string  `json:"kind"`
	Phase     string  `json:"phase,omitempty"`
	FaultID   string  `json:"fault_id,omitempty"`
	Upstream  string  `json:"upstream,omitempty"`
	FaultKind string  `json:"fault_kind,omitempty"`
	Detail    string  `json:"detail,omitempty"`
	// TookMS is how long the fault's apply (or revert) took to return; t_ms is when it
	// began, so the fault took effect somewhere in [t_ms, t_ms + took_ms].
	TookMS float64 `json:"took_ms,omitempty"`
}

// Breached returns the SLOs that failed, in the order they were written.
func (r *Report) Breached() []SLO {
	var out []SLO
	for _, s := range r.SLOs {
		if !s.Pass {
			out = append(out, s)
		}
	}
	return out
}

// Passed reports whether the verdict is pass.
func (r *Report) Passed() bool { return r.Verdict == VerdictPass }

// FaultAvailability is the worst availability over the phases that overlap a fault, or
// over all phases when the run had no fault; ok is false when no phase had requests.
func (r *Report) FaultAvailability() (avail float64, phase string, ok bool) {
	best := math.Inf(1)
	pick := func(onlyFaulted bool) {
		for _, p := range r.Phases {
			if !p.Availability.Valid() || (onlyFaulted && !r.faulted(p)) {
				continue
			}
			if float64(p.Availability) < best {
				best, phase, ok = float64(p.Availability), p.Name, true
			}
		}
	}
	pick(len(r.Faults) > 0)
	if !ok {
		pick(false)
	}
	if !ok {
		return 0, "", false
	}
	return best, phase, true
}

func (r *Report) faulted(p Phase) bool {
	for _, f := range r.Faults {
		if f.StartMS < p.EndMS && f.EndMS > p.StartMS {
			return true
		}
	}
	return false
}

// BuildOption configures Build.
type BuildOption func(*buildConfig)

// DefaultLogTail is how many of the app's last log lines a report keeps.
const DefaultLogTail = 200

// DefaultMaxErrors is how many distinct sample errors a report keeps.
const DefaultMaxErrors = 20

type buildConfig struct {
	description string
	secrets     []string
	redactor    *Redactor
	logTail     int
	maxErrors   int
	runError    string
	runLog      []string
}

// WithDescription sets the report's description (the scenario's).
func WithDescription(d string) BuildOption { return func(c *buildConfig) { c.description = d } }

// WithSecrets adds literal secret values (API keys, tokens) that are replaced by
// [REDACTED] wherever they appear. Values shorter than MinSecretLen are ignored.
func WithSecrets(values ...string) BuildOption {
	return func(c *buildConfig) { c.secrets = append(c.secrets, values...) }
}

// WithRedactor redacts the report with r (built once by the caller, who redacts its own
// output with it too) instead of a Redactor made from WithSecrets' values.
func WithRedactor(r *Redactor) BuildOption { return func(c *buildConfig) { c.redactor = r } }

// WithLogTail keeps the last n lines of the app's log (DefaultLogTail; 0 keeps none).
func WithLogTail(n int) BuildOption { return func(c *buildConfig) { c.logTail = max(n, 0) } }

// WithMaxErrors keeps at most n distinct sample errors (DefaultMaxErrors).
func WithMaxErrors(n int) BuildOption { return func(c *buildConfig) { c.maxErrors = max(n, 0) } }

// WithRunError records why the harness could not run (or finish) the scenario: the report
// then fails and says so, so a scenario that never ran still shows in every format. When
// err carries the app's log (an app that would not start: harness.SUTLog) and the run
// has none, that log is the report's sut_log.
func WithRunError(err error) BuildOption {
	return func(c *buildConfig) {
		if err != nil {
			c.runError = err.Error()
			c.runLog = harness.SUTLog(err)
		}
	}
}

// Build turns a run and its verdict into a Report. res may be nil (then the report holds
// the verdict only). Every free-text string from the app or from errors is cleaned
// (Redactor.Clean: redacted, control characters escaped).
func Build(res *harness.Result, v slo.Verdict, opts ...BuildOption) *Report {
	cfg := buildConfig{logTail: DefaultLogTail, maxErrors: DefaultMaxErrors}
	for _, o := range opts {
		o(&cfg)
	}
	red := cfg.redactor
	if red == nil {
		red = NewRedactor(cfg.secrets...)
	}
	ran := res != nil
	if !ran {
		res = &harness.Result{}
	}
	r := newReport(res, v, cfg, red)
	r.SLOs = appendSLOs(r.SLOs, v.Checks, red)
	r.Metrics = buildMetrics(v.Metrics, cfg.maxErrors)
	r.Phases = appendPhases(r.Phases, v.Metrics.Phases)
	r.Faults = appendFaults(r.Faults, v.Metrics.Faults, red)
	r.Series = appendSeries(r.Series, v.Metrics.Series)
	r.Errors = errorCounts(res, red, cfg.maxErrors)
	r.Events = appendEvents(r.Events, res, red)
	appLog := res.SUTLog
	if len(appLog) == 0 { // the app never ran: its log is in the run error
		appLog = cfg.runLog
	}
	r.SUTLog = appendLogTail(r.SUTLog, appLog, cfg.logTail, red)
	for name, kind := range res.Kinds {
		r.Upstreams[name] = string(kind)
	}
	if !ran { // nothing was measured: no ttf or failback of 0, no amplification
		r.Metrics.TTFMS, r.Metrics.TTFState = nil, StateNone
		r.Metrics.FailbackMS, r.Metrics.FailbackState = nil, StateNone
		r.Metrics.Amplification = Float(math.NaN())
		r.Metrics.Run = nil
	}
	r.Unmeasured = unmeasured(res.Kinds)
	return r
}

// newReport is the report's head (scenario, verdict, times) with every list empty, not
// nil, so the JSON holds [] and {} rather than null.
func newReport(res *harness.Result, v slo.Verdict, cfg buildConfig, red *Redactor) *Report {
	r := &Report{
		Schema:      SchemaReport,
		Scenario:    res.Scenario,
		Description: red.Clean(cfg.description),
		Verdict:     VerdictPass,
		Interrupted: res.Interrupted,
		RunError:    red.Clean(cfg.runError),
		StartedAt:   res.Start.UTC(),
		IntervalMS:  ms(res.Interval),
		SLOs:        []SLO{},
		Phases:      []Phase{},
		Faults:      []Fault{},
		Series:      []Point{},
		Errors:      []ErrorCount{},
		Events:      []Event{},
		SUTLog:      []string{},
		Upstreams:   map[string]string{},
		BucketMS:    ms(v.Metrics.Bucket),
	}
	if r.Scenario == "" {
		r.Scenario = v.Scenario
	}
	if !v.Pass || res.Interrupted || r.RunError != "" {
		r.Verdict = VerdictFail
	}
	switch {
	case !res.End.IsZero() && !res.Start.IsZero():
		r.DurationMS = ms(res.End.Sub(res.Start))
	default:
		r.DurationMS = ms(v.Metrics.Duration)
	}
	if r.IntervalMS == 0 {
		r.IntervalMS = ms(v.Metrics.Interval)
	}
	return r
}

// appendSLOs appends one row per evaluated SLO.
func appendSLOs(dst []SLO, checks []slo.Check, red *Redactor) []SLO {
	for _, c := range checks {
		val := Float(c.Value)
		if c.Never {
			val = Float(math.NaN())
		}
		row := SLO{
			Expr: c.Expr, Observed: red.Clean(c.Observed), Value: val,
			Never: c.Never, Pass: c.Pass, Reason: red.Clean(c.Reason),
			Inconclusive: c.Inconclusive, N: c.N,
		}
		if c.N > 0 {
			row.Interval = interval(c.Interval)
		}
		dst = append(dst, row)
	}
	return dst
}

// buildMetrics is the run's headline metrics, with at most maxErrors Retry-After violations.
func buildMetrics(m slo.Metrics, maxErrors int) Metrics {
	out := Metrics{
		Amplification: Float(m.Amplification),
		MaxErrorBurst: Burst{
			Count: m.MaxErrorBurst.Count, StartMS: ms(m.MaxErrorBurst.Start),
			DurationMS: ms(m.MaxErrorBurst.Duration),
		},
		RetryAfterViolations: m.RetryAfterViolations,
		NonRetryableRetries:  m.NonRetryableRetries,
	}
	for i, x := range m.Violations {
		if i >= maxErrors {
			break
		}
		out.RetryAfter = append(out.RetryAfter, RetryAfterViolation{Upstream: x.Upstream, ID: x.ID,
			PreviousMS: ms(x.Previous), NextMS: ms(x.Next), AskedMS: ms(x.Asked), WaitedMS: ms(x.Waited)})
	}
	for _, x := range m.NonRetryable[:min(len(m.NonRetryable), maxErrors)] {
		out.NonRetryable = append(out.NonRetryable, NonRetryableRetry{Upstream: x.Upstream, ID: x.ID, AfterMS: ms(x.After), AtMS: ms(x.At), Status: x.Status})
	}
	if tm := m.Telemetry; tm.Faulted {
		out.Telemetry = &Telemetry{
			FaultedRequests: tm.FaultedRequests, FaultedAvailability: Float(tm.FaultedAvailability), FaultedP99MS: ms(tm.FaultedP99),
			SteadyRequests: tm.SteadyRequests, SteadyAvailability: Float(tm.SteadyAvailability), SteadyP99MS: ms(tm.SteadyP99),
			LatencyRatio: Float(tm.LatencyRatio), Resumed: tm.Resumed, LastFaultEndMS: ms(tm.LastFaultEnd), ResumedAtMS: ms(tm.ResumedAt),
			FaultedAvailabilityInterval: intervalOver(tm.FaultedRequests, tm.FaultedAvailabilityCI),
			SteadyAvailabilityInterval:  intervalOver(tm.SteadyRequests, tm.SteadyAvailabilityCI),
		}
	}
	run := phase(m.Run)
	out.Run = &run
	out.TTFMS, out.TTFState = measure(m.TTF)
	out.FailbackMS, out.FailbackState = measure(m.Failback)
	return out
}

// appendPhases appends one row per phase.
func appendPhases(dst []Phase, phases []slo.PhaseMetrics) []Phase {
	for _, p := range phases {
		dst = append(dst, phase(p))
	}
	return dst
}

// phase is one phase's row (or the whole run's).
func phase(p slo.PhaseMetrics) Phase {
	return Phase{
		Name: p.Name, StartMS: ms(p.Start), EndMS: ms(p.End),
		Requests: p.Requests, OK: p.OK, Availability: Float(p.Availability),
		AvailabilityInterval: intervalOver(p.Requests, p.AvailabilityCI),
		LatencyMS:            percentiles(p.Latency), TTFTMS: percentiles(p.TTFT),
		ServedBy: countMap(p.ServedBy), Attempts: p.Attempts,
		Amplification: Float(p.Amplification), Outcomes: countMap(p.Outcomes),
		ToolCallTurns: p.ToolCallTurns,
	}
}

// appendFaults appends one row per fault window.
func appendFaults(dst []Fault, faults []slo.FaultWindow, red *Redactor) []Fault {
	for _, f := range faults {
		ft := Fault{
			ID: f.ID, Upstream: f.Upstream, Kind: f.Kind, Detail: red.Clean(f.Detail),
			StartMS: ms(f.Start), EndMS: ms(f.End), Samples: f.Samples, Failures: f.Failures,
		}
		ft.TTFMS, ft.TTFState = measure(f.TTF)
		ft.FailbackMS, ft.FailbackState = measure(f.Failback)
		dst = append(dst, ft)
	}
	return dst
}

// appendSeries appends the charts' time series.
func appendSeries(dst []Point, series []slo.Point) []Point {
	for _, p := range series {
		dst = append(dst, Point{
			TMS: ms(p.T), Requests: p.Requests, OK: p.OK, SuccessRate: seriesRate(p),
			P99MS: ms(p.P99), ServedBy: countMap(p.ServedBy),
		})
	}
	return dst
}

// appendEvents appends the run's events (fault applied, reverted, …), details redacted.
func appendEvents(dst []Event, res *harness.Result, red *Redactor) []Event {
	for _, e := range res.Events {
		dst = append(dst, Event{
			TMS: offset(res.Start, e.At), Kind: string(e.Kind), Phase: e.Phase, FaultID: e.FaultID,
			Upstream: e.Upstream, FaultKind: e.FaultKind, Detail: red.Clean(e.Detail),
			TookMS: float64(e.Took) / float64(time.Millisecond),
		})
	}
	return dst
}

// appendLogTail appends the last n lines of the app's log, redacted.
func appendLogTail(dst, log []string, n int, red *Redactor) []string {
	if len(log) > n {
		log = log[len(log)-n:]
	}
	for _, l := range log {
		dst = append(dst, red.Clean(l))
	}
	return dst
}

// interval is an slo interval as the report writes it.
func interval(i slo.Interval) *Interval { return &Interval{Low: Float(i.Low), High: Float(i.High)} }

// intervalOver is the interval of a ratio over n samples; nil with none.
func intervalOver(n int, i slo.Interval) *Interval {
	if n == 0 {
		return nil
	}
	return interval(i)
}

func measure(m slo.Measure) (*float64, MeasureState) {
	switch {
	case m.None:
		return nil, StateNone
	case m.Never:
		return nil, StateNever
	}
	v := ms(m.Value)
	return &v, StateMeasured
}

func percentiles(p slo.Percentiles) Percentiles {
	return Percentiles{N: p.N, P50: ms(p.P50), P90: ms(p.P90), P95: ms(p.P95), P99: ms(p.P99), Max: ms(p.Max)}
}

func countMap(in map[string]int) map[string]int {
	out := make(map[string]int, len(in))
	for k, v := range in {
		out[k] = v
	}
	return out
}

func seriesRate(p slo.Point) Float {
	if p.Requests == 0 {
		return Float(math.NaN())
	}
	return Float(p.SuccessRate)
}

func offset(start, at time.Time) float64 {
	if start.IsZero() || at.IsZero() {
		return 0
	}
	return ms(at.Sub(start))
}

// errorCounts groups failed samples by (outcome, status, redacted error).
func errorCounts(res *harness.Result, red *Redactor, limit int) []ErrorCount {
	type key struct {
		outcome string
		status  int
		err     string
	}
	idx := map[key]int{}
	out := []ErrorCount{}
	for _, s := range res.Samples {
		if s.OK() {
			continue
		}
		k := key{string(s.Outcome), s.Status, red.Clean(s.Error)}
		i, seen := idx[k]
		if !seen {
			i = len(out)
			idx[k] = i
			out = append(out, ErrorCount{Outcome: k.outcome, Status: k.status, Error: k.err,
				FirstMS: offset(res.Start, s.Scheduled)})
		}
		out[i].Count++
		if t := offset(res.Start, s.Scheduled); t < out[i].FirstMS {
			out[i].FirstMS = t
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Count != out[j].Count {
			return out[i].Count > out[j].Count
		}
		return out[i].FirstMS < out[j].FirstMS
	})
	if len(out) > limit {
		out = out[:limit]
	}
	return out
}
