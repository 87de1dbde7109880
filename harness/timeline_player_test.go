package harness

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/llmchaos/llmchaos/harness/fault"
	"github.com/llmchaos/llmchaos/harness/load"

	"github.com/llmchaos/llmchaos/mocks/control"
)

// timelineTestRecorder collects events and signals each one on a channel.
type timelineTestRecorder struct {
	mu     sync.Mutex
	events []Event
	ch     chan Event
}

func newTimelineTestRecorder() *timelineTestRecorder {
	return &timelineTestRecorder{ch: make(chan Event, 128)}
}

func (r *timelineTestRecorder) emit(e Event) {
	r.mu.Lock()
	r.events = append(r.events, e)
	r.mu.Unlock()
	r.ch <- e
}

func (r *timelineTestRecorder) all() []Event {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]Event(nil), r.events...)
}

// waitFor waits for an event of kind in phase.
func (r *timelineTestRecorder) waitFor(t *testing.T, kind EventKind, phase string) Event {
	t.Helper()
	timeout := time.NewTimer(5 * time.Second)
	defer timeout.Stop()
	for {
		select {
		case e := <-r.ch:
			if e.Kind == kind && e.Phase == phase {
				return e
			}
		case <-timeout.C:
			t.Fatalf("no %s event for phase %q", kind, phase)
		}
	}
}

func timelineTestSummary(events []Event) string {
	var parts []string
	for _, e := range events {
		s := string(e.Kind) + ":" + e.Phase
		if e.FaultID != "" {
			s += ":" + e.Upstream + ":" + e.FaultKind
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, " ")
}

func TestTimelinePlaysPhasesAndFaults(t *testing.T) {
	envTestLeakCheck(t)
	env := envTestNew(t, nil, "primary", "secondary")
	p, _ := env.Upstream("primary")
	s, _ := env.Upstream("secondary")
	tl := Timeline{Phases: []Phase{
		{Name: "steady", Duration: 200 * time.Millisecond},
		{Name: "outage", Duration: 400 * time.Millisecond, Faults: []FaultSpec{
			{Upstream: "primary", Fault: &fault.Down{}},
			{Upstream: "secondary", Fault: fault.Status(503)},
		}},
		{Name: "recovery", Duration: 200 * time.Millisecond},
	}}
	rec := newTimelineTestRecorder()
	start := time.Now()
	done := make(chan error, 1)
	go func() { done <- playTimeline(context.Background(), env, tl, start, rec.emit) }()

	c := envTestClient(t, 2*time.Second, false)
	envTestMustServe(t, c, p)
	rec.waitFor(t, EventPhaseStart, "outage")
	// The applied events follow the phase start; wait for the second one.
	for n := 0; n < 2; {
		if e := <-rec.ch; e.Kind == EventFaultApplied {
			n++
		}
	}
	if _, _, err := envTestGet(c, p.URL+"/"); !errors.Is(err, syscall.ECONNREFUSED) {
		t.Errorf("primary during outage: %v, want refused", err)
	}
	if code, _, _ := envTestGet(c, s.URL+"/"); code != 503 {
		t.Errorf("secondary during outage answered %d, want 503", code)
	}
	if err := <-done; err != nil {
		t.Fatalf("playTimeline: %v", err)
	}
	envTestMustServe(t, c, p)
	envTestMustServe(t, c, s)

	events := rec.all()
	want := "phase_start:steady phase_end:steady phase_start:outage " +
		"fault_applied:outage:primary:down fault_applied:outage:secondary:status " +
		"phase_end:outage fault_reverted:outage:secondary:status fault_reverted:outage:primary:down " +
		"phase_start:recovery phase_end:recovery"
	if got := timelineTestSummary(events); got != want {
		t.Fatalf("events:\n got %s\nwant %s", got, want)
	}
	// Boundaries at start+200ms, +600ms, +800ms, never early, late by less than a tolerance.
	const slack = 150 * time.Millisecond
	for _, c := range []struct {
		i  int
		at time.Duration
	}{{0, 0}, {1, 200 * time.Millisecond}, {2, 200 * time.Millisecond}, {5, 600 * time.Millisecond}, {8, 600 * time.Millisecond}, {9, 800 * time.Millisecond}} {
		d := events[c.i].At.Sub(start)
		if d < c.at || d > c.at+slack {
			t.Errorf("event %d (%s %s) at %v, want %v (+%v)", c.i, events[c.i].Kind, events[c.i].Phase, d, c.at, slack)
		}
	}
	if !events[1].At.Equal(events[2].At) {
		t.Errorf("steady ends at %v but outage starts at %v", events[1].At, events[2].At)
	}
	// Applied and reverted events pair by FaultID and carry the fault's description.
	ids := map[string]int{}
	for _, e := range events {
		if e.FaultID != "" {
			ids[e.FaultID]++
			if e.Detail == "" || e.At.Before(events[2].At) {
				t.Errorf("fault event %+v", e)
			}
		}
	}
	if len(ids) != 2 || ids["p1.f0"] != 2 || ids["p1.f1"] != 2 {
		t.Errorf("fault ids %v, want p1.f0 and p1.f1 twice each", ids)
	}
}

func TestTimelineCancelRevertsActiveFaults(t *testing.T) {
	envTestLeakCheck(t)
	env := envTestNew(t, nil, "primary")
	p, _ := env.Upstream("primary")
	tl := Timeline{Phases: []Phase{
		{Name: "outage", Duration: time.Hour, Faults: []FaultSpec{
			{Upstream: "primary", Fault: &fault.Down{}},
			{Upstream: "primary", Fault: &fault.Flap{Period: 50 * time.Millisecond, Fault: fault.Status(500)}},
			{Upstream: "primary", Fault: &fault.Ramp{From: 0.1, To: 1, Fault: control.Fault{Type: control.TypeStatus, Status: 503}}},
		}},
		{Name: "never", Duration: time.Second},
	}}
	rec := newTimelineTestRecorder()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- playTimeline(ctx, env, tl, time.Now(), rec.emit) }()
	rec.waitFor(t, EventPhaseStart, "outage")
	for n := 0; n < 3; {
		if e := <-rec.ch; e.Kind == EventFaultApplied {
			n++
		} else if e.Kind == EventFaultError {
			t.Fatalf("fault error: %s", e.Detail)
		}
	}
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Fatalf("playTimeline after cancel: %v, want context.Canceled", err)
	}
	want := "phase_start:outage fault_applied:outage:primary:down fault_applied:outage:primary:flap fault_applied:outage:primary:ramp " +
		"phase_end:outage fault_reverted:outage:primary:ramp fault_reverted:outage:primary:flap fault_reverted:outage:primary:down"
	if got := timelineTestSummary(rec.all()); got != want {
		t.Fatalf("events:\n got %s\nwant %s", got, want)
	}
	if n := len(p.Mock.Faults()); n != 0 {
		t.Errorf("%d protocol faults left active", n)
	}
	envTestMustServe(t, envTestClient(t, 2*time.Second, false), p)
}

// timelineTestBadFault fails to apply.
type timelineTestBadFault struct{}

func (timelineTestBadFault) Kind() string   { return "bad" }
func (timelineTestBadFault) String() string { return "bad fault" }
func (timelineTestBadFault) Apply(context.Context, *fault.Target) (func() error, error) {
	return nil, fmt.Errorf("cannot")
}

func TestTimelineFaultErrorsDoNotStopIt(t *testing.T) {
	envTestLeakCheck(t)
	env := envTestNew(t, nil, "primary")
	tl := Timeline{Phases: []Phase{
		{Name: "a", Duration: 50 * time.Millisecond, Faults: []FaultSpec{
			{Upstream: "primary", Fault: timelineTestBadFault{}},
			{Upstream: "primary", Fault: fault.PartialSuccess(0.5)}, // the test mock does not offer it
			{Upstream: "primary", Fault: fault.Status(500)},
		}},
		{Name: "b", Duration: 50 * time.Millisecond},
	}}
	rec := newTimelineTestRecorder()
	// A start in the past: phase a's boundary has passed, so it begins at once.
	err := playTimeline(context.Background(), env, tl, time.Now().Add(-20*time.Millisecond), rec.emit)
	if err == nil || !strings.Contains(err.Error(), "cannot") || !strings.Contains(err.Error(), "partial-success") {
		t.Fatalf("playTimeline: %v, want the two apply errors", err)
	}
	want := "phase_start:a fault_error:a:primary:bad fault_error:a:primary:partial-success fault_applied:a:primary:status " +
		"phase_end:a fault_reverted:a:primary:status phase_start:b phase_end:b"
	if got := timelineTestSummary(rec.all()); got != want {
		t.Fatalf("events:\n got %s\nwant %s", got, want)
	}
}

// TestTimelineRejectsUnknownUpstreams: a timeline naming an undeclared upstream, a
// FaultSpec without a fault or a phase without a positive duration is refused before
// anything plays (Run validates first), and an empty timeline plays.
func TestTimelineRejectsUnknownUpstreams(t *testing.T) {
	envTestLeakCheck(t)
	for _, tl := range []Timeline{
		{Phases: []Phase{{Name: "x", Duration: time.Second, Faults: []FaultSpec{{Upstream: "nope", Fault: &fault.Down{}}}}}},
		{Phases: []Phase{{Name: "x", Duration: time.Second, Faults: []FaultSpec{{Upstream: "primary"}}}}},
		{Phases: []Phase{{Name: "x", Duration: -time.Second}}},
	} {
		sc := Scenario{Name: "tl", Upstreams: []UpstreamSpec{{Name: "primary", Kind: KindStore}}, SUT: SUTSpec{URL: "http://127.0.0.1:1"},
			Load: load.Spec{Rate: 1, Request: load.Request{Protocol: load.ProtocolHTTP}}, Timeline: tl}
		called := false
		res, err := Run(context.Background(), sc, WithProgress(func(Progress) { called = true }))
		var se *ScenarioError
		if !errors.As(err, &se) || res != nil {
			t.Errorf("timeline %+v: Run gave %v, %v; want a *ScenarioError and no result", tl, res, err)
		}
		if called {
			t.Error("an invalid timeline started a run")
		}
	}
	env := envTestNew(t, nil, "primary")
	if err := playTimeline(context.Background(), env, Timeline{}, time.Now(), nil); err != nil {
		t.Errorf("empty timeline: %v", err)
	}
}
