package slo_test

import (
	"math"
	"testing"
	"time"

	"github.com/llmchaos/llmchaos/harness/load"
	"github.com/llmchaos/llmchaos/harness/slo"
	"github.com/llmchaos/llmchaos/harness/slo/slotest"
)

// outage is steady 2s, outage 6s (primary down), recovery 4s.
func outage(interval time.Duration, app slotest.App) slotest.SimSpec {
	return outageOf("down", interval, app)
}

// outageOf is outage with a fault of the given kind on the primary ("status": a
// protocol fault, whose failed attempts reach the mock's journal).
func outageOf(kind string, interval time.Duration, app slotest.App) slotest.SimSpec {
	return slotest.SimSpec{
		Scenario: "dropout",
		Interval: interval,
		Phases: []slotest.Phase{
			{Name: "steady", Duration: 2 * time.Second},
			{Name: "outage", Duration: 6 * time.Second, Faults: []slotest.Fault{{Upstream: slotest.Primary, Kind: kind}}},
			{Name: "recovery", Duration: 4 * time.Second},
		},
		App: app,
	}
}

func tolerance(interval time.Duration) time.Duration {
	return max(50*time.Millisecond, 2*interval)
}

func within(t *testing.T, what string, got slo.Measure, want, tol time.Duration) {
	t.Helper()
	if got.Never || got.None {
		t.Fatalf("%s = %+v, want %v ± %v", what, got, want, tol)
	}
	if d := got.Value - want; d < -tol || d > tol {
		t.Fatalf("%s = %v, want %v ± %v", what, got.Value, want, tol)
	}
}

func TestTTFMatchesFailoverDelay(t *testing.T) {
	for _, interval := range []time.Duration{50 * time.Millisecond, 20 * time.Millisecond, 100 * time.Millisecond} {
		for _, d := range []time.Duration{0, 500 * time.Millisecond, 1500 * time.Millisecond, 1520 * time.Millisecond} {
			m := slo.Compute(slotest.Simulate(outage(interval, slotest.App{FailoverDelay: d})))
			within(t, "ttf("+interval.String()+", "+d.String()+")", m.TTF, d, tolerance(interval))
			if len(m.Faults) != 1 {
				t.Fatalf("faults = %+v, want one window", m.Faults)
			}
			w := m.Faults[0]
			if w.Start != 2*time.Second || w.End != 8*time.Second || w.Upstream != "primary" || w.Kind != "down" {
				t.Fatalf("window = %+v, want down on primary 2s–8s", w)
			}
			wantFailures := int((d + interval - 1) / interval)
			if w.Failures != wantFailures {
				t.Fatalf("interval %v delay %v: failures = %d, want %d", interval, d, w.Failures, wantFailures)
			}
			if d == 0 && m.TTF.Value != 0 {
				t.Fatalf("transparent failover: ttf = %v, want 0", m.TTF.Value)
			}
		}
	}
}

func TestTTFNeverWhenTheAppNeverFailsOver(t *testing.T) {
	m := slo.Compute(slotest.Simulate(outage(50*time.Millisecond, slotest.App{NeverFailsOver: true})))
	if !m.TTF.Never || !m.Faults[0].TTF.Never {
		t.Fatalf("ttf = %+v, want never", m.TTF)
	}
}

func TestTTFNeverWhenItSettlesTooLate(t *testing.T) {
	// Fails over 2 samples before the fault ends: fewer than DefaultSettleSamples OK samples.
	m := slo.Compute(slotest.Simulate(outage(50*time.Millisecond, slotest.App{FailoverDelay: 5900 * time.Millisecond})))
	if !m.TTF.Never || m.Faults[0].SettledOK != 2 {
		t.Fatalf("ttf = %+v (settled OK %d), want never with 2 OK samples", m.TTF, m.Faults[0].SettledOK)
	}
	m = slo.Compute(slotest.Simulate(outage(50*time.Millisecond, slotest.App{FailoverDelay: 5900 * time.Millisecond})), slo.WithSettleSamples(2))
	within(t, "ttf with 2 settle samples", m.TTF, 5900*time.Millisecond, tolerance(50*time.Millisecond))
}

func TestTTFFlappingAppIsNotSettledEarly(t *testing.T) {
	for _, flap := range []time.Duration{400 * time.Millisecond, 500 * time.Millisecond, 700 * time.Millisecond} {
		m := slo.Compute(slotest.Simulate(outage(50*time.Millisecond, slotest.App{Flap: flap})))
		w := m.Faults[0]
		// The last failure burst starts within two flaps of the fault's end.
		lastBurst := (6*time.Second - 1) / (2 * flap) * (2 * flap)
		if !m.TTF.Never && m.TTF.Value < lastBurst+flap-tolerance(50*time.Millisecond) {
			t.Fatalf("flap %v: ttf %v settled early; the last failure burst starts at %v", flap, m.TTF.Value, lastBurst)
		}
		if w.LastFailure < w.Start+lastBurst {
			t.Fatalf("flap %v: last failure %v, want at or after %v", flap, w.LastFailure, w.Start+lastBurst)
		}
	}
	// 400 ms flaps end the window failing: never.
	m := slo.Compute(slotest.Simulate(outage(50*time.Millisecond, slotest.App{Flap: 400 * time.Millisecond})))
	if !m.TTF.Never {
		t.Fatalf("flap 400ms: ttf = %+v, want never", m.TTF)
	}
}

func TestTTFCountsRequestsInFlightAtTheFaultStart(t *testing.T) {
	r := slotest.Simulate(outage(50*time.Millisecond, slotest.App{}))
	// The last sample before the fault was cut by it.
	for i := range r.Samples {
		s := &r.Samples[i]
		if s.Scheduled.Equal(r.Start.Add(1950 * time.Millisecond)) {
			s.Outcome, s.Status, s.ServedBy = load.OutcomeConnError, 0, ""
			s.SetEnded(r.Start.Add(2010 * time.Millisecond))
		}
	}
	m := slo.Compute(r)
	w := m.Faults[0]
	if w.Failures != 1 || w.LastFailure != 1950*time.Millisecond {
		t.Fatalf("window = %+v, want the in-flight failure counted", w)
	}
	if m.TTF.Never || m.TTF.Value > 50*time.Millisecond {
		t.Fatalf("ttf = %+v, want at most one interval", m.TTF)
	}
}

func TestFailbackMatchesReturnDelay(t *testing.T) {
	for _, interval := range []time.Duration{50 * time.Millisecond, 20 * time.Millisecond} {
		for _, f := range []time.Duration{0, time.Second, 2500 * time.Millisecond} {
			m := slo.Compute(slotest.Simulate(outage(interval, slotest.App{FailoverDelay: 300 * time.Millisecond, FailbackDelay: f})))
			within(t, "failback("+interval.String()+", "+f.String()+")", m.Failback, f, tolerance(interval))
			if m.Faults[0].Primary != "primary" {
				t.Fatalf("primary = %q, want primary", m.Faults[0].Primary)
			}
		}
	}
}

func TestFailbackNever(t *testing.T) {
	m := slo.Compute(slotest.Simulate(outage(50*time.Millisecond, slotest.App{NeverFailsBack: true})))
	if !m.Failback.Never {
		t.Fatalf("failback = %+v, want never", m.Failback)
	}
	// Back too late to hold for a whole rolling window before the run ends.
	m = slo.Compute(slotest.Simulate(outage(50*time.Millisecond, slotest.App{FailbackDelay: 3900 * time.Millisecond})))
	if !m.Failback.Never {
		t.Fatalf("failback 100ms before the end = %+v, want never", m.Failback)
	}
}

func TestFailbackWithPrimaryOverride(t *testing.T) {
	r := slotest.Simulate(outage(50*time.Millisecond, slotest.App{FailbackDelay: time.Second}))
	def := slo.Compute(r)
	if m := slo.Compute(r, slo.WithPrimary("primary")); m.Failback != def.Failback || m.Faults[0].Primary != "primary" {
		t.Fatalf("failback to primary = %+v, want the default's %+v", m.Failback, def.Failback)
	}
	m := slo.Compute(r, slo.WithPrimary("secondary"))
	if !m.Failback.Never {
		t.Fatalf("failback to secondary = %+v, want never (traffic went back to primary)", m.Failback)
	}
}

func TestFailbackNoneForTelemetryFault(t *testing.T) {
	spec := outage(50*time.Millisecond, slotest.App{})
	spec.Phases[1].Faults = []slotest.Fault{{Upstream: slotest.Collector}}
	m := slo.Compute(slotest.Simulate(spec))
	if !m.Failback.None || !m.Faults[0].Failback.None {
		t.Fatalf("failback = %+v, want none for a collector fault", m.Failback)
	}
	if m.TTF.None || m.TTF.Never || m.TTF.Value != 0 {
		t.Fatalf("ttf = %+v, want 0 (no request failed)", m.TTF)
	}
}

func TestNoFaultMeansNone(t *testing.T) {
	m := slo.Compute(slotest.Simulate(slotest.SimSpec{Phases: []slotest.Phase{{Name: "steady", Duration: time.Second}}}))
	if !m.TTF.None || !m.Failback.None || m.Telemetry.Faulted {
		t.Fatalf("metrics = %+v, want ttf/failback none", m)
	}
}

func TestAvailabilityAndPercentiles(t *testing.T) {
	m := slo.Compute(slotest.Simulate(outage(50*time.Millisecond, slotest.App{FailoverDelay: time.Second})))
	if len(m.Phases) != 3 {
		t.Fatalf("phases = %+v", m.Phases)
	}
	st, out := m.Phases[0], m.Phases[1]
	if st.Requests != 40 || st.OK != 40 || st.Availability != 1 || st.ServedBy["primary"] != 40 {
		t.Fatalf("steady = %+v", st)
	}
	if out.Requests != 120 || out.OK != 100 || out.Availability != 100.0/120 || out.ServedBy["secondary"] != 100 || out.Outcomes["http_error"] != 20 {
		t.Fatalf("outage = %+v", out)
	}
	// 20 failed at 5ms, 100 OK at 21ms (1ms to arrive + 20ms).
	if out.Latency.P50 != 21*time.Millisecond || out.Latency.P90 != 21*time.Millisecond || out.Latency.Max != 21*time.Millisecond || out.Latency.N != 120 {
		t.Fatalf("outage latency = %+v", out.Latency)
	}
	if out.Latency.P99 != 21*time.Millisecond || st.TTFT.P50 != 11*time.Millisecond || out.TTFT.N != 100 {
		t.Fatalf("outage latency %+v, steady ttft %+v", out.Latency, st.TTFT)
	}
}

func TestAmplification(t *testing.T) {
	for _, k := range []int{0, 1, 3} {
		m := slo.Compute(slotest.Simulate(outageOf("status", 50*time.Millisecond, slotest.App{Retries: k, RetryAfter: 10 * time.Millisecond})))
		if m.Amplification != float64(k+1) {
			t.Fatalf("retries %d: amplification = %v, want %d", k, m.Amplification, k+1)
		}
		for _, p := range m.Phases {
			if p.Amplification != float64(k+1) || p.Attempts != p.Requests*(k+1) {
				t.Fatalf("retries %d: phase %+v, want amplification %d", k, p, k+1)
			}
		}
	}
	// Under a protocol fault every failed attempt reaches the mock: 60 refused (503) and
	// 60 served attempts for 120 requests.
	m := slo.Compute(slotest.Simulate(outageOf("status", 50*time.Millisecond, slotest.App{FailoverDelay: 3 * time.Second})))
	if out := m.Phases[1]; out.Amplification != 1 || out.AttemptsBy["primary"] != 60 || out.AmplificationNA != "" {
		t.Fatalf("outage under a status fault: %+v, want amplification 1 (60 attempts on primary)", out)
	}
	// Attempts without a known id are attributed by arrival time.
	r := slotest.Simulate(outageOf("status", 50*time.Millisecond, slotest.App{}))
	for i := range r.Journals["primary"] {
		r.Journals["primary"][i].CorrelationID = ""
	}
	m = slo.Compute(r)
	if m.Phases[0].Attempts != 40 || m.Phases[2].Attempts != 80 {
		t.Fatalf("by arrival: phases %+v", m.Phases)
	}
}

// TestAmplificationNotMeasurableThroughDownOrBlackhole: a refused or blackholed attempt
// never reaches a mock, so a phase overlapping such a fault on an LLM upstream (and the
// whole run) reads n/a with the reason, never a number below 1; other phases keep theirs.
func TestAmplificationNotMeasurableThroughDownOrBlackhole(t *testing.T) {
	for _, kind := range []string{"down", "blackhole", "flap"} {
		r := slotest.Simulate(outageOf(kind, 50*time.Millisecond, slotest.App{FailoverDelay: 3 * time.Second}))
		want := "n/a: attempts not visible through a " + kind + " fault on primary"
		if kind == "flap" {
			for i := range r.Events {
				r.Events[i].Detail = "flap down every 2s"
			}
			want = "n/a: attempts not visible through a flapping down fault on primary"
		}
		m := slo.Compute(r)
		out := m.Phases[1]
		if !math.IsNaN(out.Amplification) || out.AmplificationNA != want || (kind != "flap" && out.Attempts != 60) {
			t.Fatalf("%s: outage %v %q (%d attempts seen), want NaN %q", kind, out.Amplification, out.AmplificationNA, out.Attempts, want)
		}
		if !math.IsNaN(m.Amplification) || m.Run.AmplificationNA != want {
			t.Fatalf("%s: whole run %v %q, want NaN %q", kind, m.Amplification, m.Run.AmplificationNA, want)
		}
		if m.Phases[0].Amplification != 1 || m.Phases[2].Amplification != 1 || m.Phases[2].AmplificationNA != "" {
			t.Fatalf("%s: steady %v, recovery %v, want 1 (no fault there)", kind, m.Phases[0].Amplification, m.Phases[2].Amplification)
		}
	}
	// A down fault on the collector hides no LLM attempt.
	spec := outage(50*time.Millisecond, slotest.App{})
	spec.Phases[1].Faults = []slotest.Fault{{Upstream: slotest.Collector}}
	if m := slo.Compute(slotest.Simulate(spec)); m.Amplification != 1 || m.Phases[1].AmplificationNA != "" {
		t.Fatalf("collector down: amplification %v %q, want 1", m.Amplification, m.Phases[1].AmplificationNA)
	}
}

func TestRetryAfterViolations(t *testing.T) {
	honour := slo.Compute(slotest.Simulate(outage(50*time.Millisecond, slotest.App{Retries: 2, RetryAfter: 200 * time.Millisecond})))
	if honour.RetryAfterViolations != 0 {
		t.Fatalf("honouring app: %d violations %+v", honour.RetryAfterViolations, honour.Violations[:1])
	}
	ignore := slo.Compute(slotest.Simulate(outage(50*time.Millisecond, slotest.App{Retries: 2, RetryAfter: 200 * time.Millisecond, IgnoreRetryAfter: true})))
	if want := 240 * 2; ignore.RetryAfterViolations != want || len(ignore.Violations) != want {
		t.Fatalf("ignoring app: %d violations, want %d", ignore.RetryAfterViolations, want)
	}
	v := ignore.Violations[0]
	if v.Asked != 200*time.Millisecond || v.Waited != time.Millisecond || v.Upstream != "primary" || v.ID != "req-000001" {
		t.Fatalf("violation = %+v", v)
	}
	// Within the tolerance is not a violation.
	tol := slo.Compute(slotest.Simulate(outage(50*time.Millisecond, slotest.App{Retries: 1, RetryAfter: 40 * time.Millisecond, IgnoreRetryAfter: true})))
	if tol.RetryAfterViolations != 0 {
		t.Fatalf("40ms asked, 1ms waited, 50ms tolerance: %d violations", tol.RetryAfterViolations)
	}
}

func TestErrorBurst(t *testing.T) {
	m := slo.Compute(slotest.Simulate(outage(50*time.Millisecond, slotest.App{FailoverDelay: time.Second})))
	b := m.MaxErrorBurst
	// 20 failures scheduled 2.00s–2.95s, the last ending 5ms later.
	if b.Count != 20 || b.Start != 2*time.Second || b.Duration != 955*time.Millisecond {
		t.Fatalf("burst = %+v", b)
	}
	m = slo.Compute(slotest.Simulate(outage(50*time.Millisecond, slotest.App{Flap: 300 * time.Millisecond})))
	if m.MaxErrorBurst.Count != 6 {
		t.Fatalf("flapping burst = %+v, want 6", m.MaxErrorBurst)
	}
}

func telemetrySpec(app slotest.App) slotest.SimSpec {
	return slotest.SimSpec{
		Phases: []slotest.Phase{
			{Name: "steady", Duration: 2 * time.Second},
			{Name: "collector-down", Duration: 3 * time.Second, Faults: []slotest.Fault{{Upstream: slotest.Collector}}},
			{Name: "after", Duration: 2 * time.Second},
		},
		App: app,
	}
}

func TestTelemetryIsolation(t *testing.T) {
	m := slo.Compute(slotest.Simulate(telemetrySpec(slotest.App{TelemetryPenalty: 63 * time.Millisecond})))
	tm := m.Telemetry
	if !tm.Faulted || tm.FaultedRequests != 60 || tm.SteadyRequests != 80 || tm.FaultedAvailability != 1 {
		t.Fatalf("telemetry = %+v", tm)
	}
	if tm.FaultedP99 != 84*time.Millisecond || tm.SteadyP99 != 21*time.Millisecond || tm.LatencyRatio != 4 {
		t.Fatalf("telemetry latencies = %+v", tm)
	}
	if !tm.Resumed || tm.LastFaultEnd != 5*time.Second || tm.ResumedAt != 5*time.Second {
		t.Fatalf("telemetry resume = %+v", tm)
	}
	m = slo.Compute(slotest.Simulate(telemetrySpec(slotest.App{TelemetryNeverResumes: true})))
	if m.Telemetry.Resumed {
		t.Fatalf("telemetry never resumed but Resumed = true")
	}
}

func TestSeries(t *testing.T) {
	m := slo.Compute(slotest.Simulate(outage(50*time.Millisecond, slotest.App{FailoverDelay: time.Second})))
	if m.Bucket != slo.DefaultBucket || len(m.Series) != 24 {
		t.Fatalf("bucket %v, %d points", m.Bucket, len(m.Series))
	}
	total, ok := 0, 0
	for _, p := range m.Series {
		total += p.Requests
		ok += p.OK
	}
	if total != 240 || ok != 220 {
		t.Fatalf("series sums %d/%d, want 220/240", ok, total)
	}
	if p := m.Series[4]; p.T != 2*time.Second || p.OK != 0 || p.SuccessRate != 0 || p.Requests != 10 {
		t.Fatalf("point at 2s = %+v", p)
	}
	if p := m.Series[6]; p.ServedBy["secondary"] != 10 || p.SuccessRate != 1 || p.P99 != 21*time.Millisecond {
		t.Fatalf("point at 3s = %+v", p)
	}
	long := slo.Compute(slotest.Simulate(slotest.SimSpec{Interval: time.Second, Phases: []slotest.Phase{{Name: "long", Duration: 10 * time.Minute}}}))
	if long.Bucket != 5*time.Second || len(long.Series) != 120 {
		t.Fatalf("10 min run: bucket %v, %d points", long.Bucket, len(long.Series))
	}
}

func TestDroppedSamplesCountAsFailures(t *testing.T) {
	r := slotest.Simulate(outage(50*time.Millisecond, slotest.App{}))
	r.Samples[0].Outcome, r.Samples[0].ServedBy = load.OutcomeDropped, ""
	r.Samples[0].SetEnded(time.Time{})
	r.Journals["primary"] = r.Journals["primary"][1:] // a dropped request reached no upstream
	m := slo.Compute(r)
	st := m.Phases[0]
	if st.Requests != 40 || st.OK != 39 || st.Latency.N != 39 {
		t.Fatalf("steady = %+v", st)
	}
	// 39 sent requests, 39 attempts.
	if st.Amplification != 1 {
		t.Fatalf("amplification = %v, want 1", st.Amplification)
	}
}

func TestComputeNilResult(t *testing.T) {
	m := slo.Compute(nil)
	if !m.TTF.None || len(m.Phases) != 0 || len(m.Series) != 0 {
		t.Fatalf("nil result metrics = %+v", m)
	}
}
