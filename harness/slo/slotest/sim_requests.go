package slotest

import (
	"fmt"
	"net/http"
	"time"

	"github.com/llmchaos/llmchaos/harness/load"
	"github.com/llmchaos/llmchaos/mocks/control"
)

// requests schedules one request every Interval and plays the app on each.
func (sm *sim) requests() {
	seq := 0
	for t := time.Duration(0); t < sm.total; t += sm.spec.Interval {
		seq++
		s := load.Sample{
			Seq: seq, ID: fmt.Sprintf("req-%06d", seq), Phase: sm.phaseAt(t),
			Scheduled: sm.at(t),
		}
		s.SetStarted(sm.at(t))
		failing, upstream := sm.route(t)
		switch {
		case !failing:
			sm.serve(&s, t, upstream, t+time.Millisecond)
		case sm.spec.App.RetryPrimaryEvery > 0:
			sm.rideOut(&s, t)
		default:
			sm.fail(&s, t, t)
		}
		sm.r.Samples = append(sm.r.Samples, s)
	}
}

// fail ends s as a 502 from the app, its last attempt made at last; the attempt on
// Primary is journaled unless the fault hides it.
func (sm *sim) fail(s *load.Sample, t, last time.Duration) {
	sm.failedAttempt(s, last)
	s.Status, s.Outcome, s.Error = http.StatusBadGateway, load.OutcomeHTTPError, "simulated: primary down"
	s.SetEnded(sm.at(last + sm.spec.App.FailedLatency))
}

// failedAttempt journals a 503 on Primary at t + 1 ms, unless the fault there hides it.
func (sm *sim) failedAttempt(s *load.Sample, t time.Duration) {
	if w, down := sm.active(Primary, t); !down || w.hidden() {
		return
	}
	sm.r.Journals[Primary] = append(sm.r.Journals[Primary], control.Attempt{
		Seq: len(sm.r.Journals[Primary]) + 1, Upstream: Primary, Arrived: sm.at(t + time.Millisecond),
		Method: http.MethodPost, Path: "/v1/chat/completions", CorrelationID: s.ID, Status: http.StatusServiceUnavailable,
		Duration: time.Millisecond, Fault: "status",
	})
}

// rideOut retries Primary RetryPrimaryEvery apart: the first retry at or after the
// fault's end is served; with none, s fails at its last retry.
func (sm *sim) rideOut(s *load.Sample, t time.Duration) {
	app := sm.spec.App
	at := t
	for i := 0; i < max(1, app.RetryPrimaryTimes); i++ {
		sm.failedAttempt(s, at)
		at += app.RetryPrimaryEvery
		if _, down := sm.active(Primary, at); !down {
			sm.serve(s, t, Primary, at+time.Millisecond)
			return
		}
	}
	sm.fail(s, t, at)
}

// route is what the app does with a request scheduled at t: fail it, or send it to an
// upstream.
func (sm *sim) route(t time.Duration) (failing bool, upstream string) {
	app := sm.spec.App
	if w, down := sm.active(Primary, t); down {
		e := t - w.start
		switch {
		case app.NeverFailsOver, app.RetryPrimaryEvery > 0:
			return true, Secondary
		case app.Flap > 0:
			return (e/app.Flap)%2 == 0, Secondary
		}
		return e < app.FailoverDelay, Secondary
	}
	if end, ok := sm.lastEnded(Primary, t); ok && (app.NeverFailsBack || t-end < app.FailbackDelay) {
		return false, Secondary
	}
	return false, Primary
}

// serve journals the request's attempts on upstream from arrive on (Retries answered
// 429 first) and completes s as served by it.
func (sm *sim) serve(s *load.Sample, t time.Duration, upstream string, arrive time.Duration) {
	app := sm.spec.App
	latency := sm.spec.Latency
	if _, slow := sm.active(Collector, t); slow {
		latency += app.TelemetryPenalty
	}
	for i := 0; i <= app.Retries; i++ {
		a := control.Attempt{
			Seq: len(sm.r.Journals[upstream]) + 1, Upstream: upstream, Arrived: sm.at(arrive),
			Method: http.MethodPost, Path: "/v1/chat/completions", CorrelationID: s.ID, RetryCount: i,
		}
		if i < app.Retries {
			a.Status, a.Duration, a.RetryAfter, a.Fault = http.StatusTooManyRequests, 2*time.Millisecond, app.RetryAfter, "status"
			if app.NonRetryable {
				a.Fault, a.NonRetryable = "insufficient-quota", true
			}
			wait := app.RetryAfter + time.Millisecond
			if app.IgnoreRetryAfter {
				wait = time.Millisecond
			}
			arrive += a.Duration + wait
		} else {
			a.Status, a.Duration, a.Complete = http.StatusOK, latency, true
		}
		sm.r.Journals[upstream] = append(sm.r.Journals[upstream], a)
	}
	end := arrive + latency
	s.Status, s.Outcome, s.ServedBy = http.StatusOK, load.OutcomeOK, upstream
	s.SetFirstToken(sm.at(end - latency/2))
	s.SetEnded(sm.at(end))
}

// exports journals the app's telemetry exports to Collector every DefaultExportEvery,
// except while Collector is faulted (and after its first fault, with TelemetryNeverResumes).
func (sm *sim) exports() {
	first := time.Duration(-1)
	for _, w := range sm.windows {
		if w.upstream == Collector && (first < 0 || w.start < first) {
			first = w.start
		}
	}
	for t := time.Duration(0); t < sm.total; t += DefaultExportEvery {
		if _, down := sm.active(Collector, t); down {
			continue
		}
		if sm.spec.App.TelemetryNeverResumes && first >= 0 && t >= first {
			continue
		}
		sm.r.Journals[Collector] = append(sm.r.Journals[Collector], control.Attempt{
			Seq: len(sm.r.Journals[Collector]) + 1, Upstream: Collector, Arrived: sm.at(t), Duration: time.Millisecond,
			Method: http.MethodPost, Path: "/v1/traces", RetryCount: -1, Status: http.StatusOK, Items: 10, Accepted: 10, Complete: true,
		})
	}
}
