package harness

import (
	"context"
	"errors"
	"net"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/llmchaos/llmchaos/harness/fault"

	"github.com/llmchaos/llmchaos/mocks/control"
)

// faultTestFraction is the fraction of the single active fault, -1 when none is active.
func faultTestFraction(m control.Mock) float64 {
	fs := m.Faults()
	if len(fs) == 0 {
		return -1
	}
	for _, f := range fs {
		return f.Fraction
	}
	return -1
}

func TestFaultRampStepsTheErrorRate(t *testing.T) {
	envTestLeakCheck(t)
	env := envTestNew(t, nil, "primary")
	u, _ := env.Upstream("primary")
	r := &fault.Ramp{From: 0, To: 1, Steps: 3, Fault: control.Fault{Type: control.TypeStatus, Status: 503}, Over: 600 * time.Millisecond}
	if r.Kind() != "ramp" || r.String() != "ramp status 503 from 0% to 100% in 3 steps over 600ms" {
		t.Errorf("Kind, String = %q, %q", r.Kind(), r.String())
	}
	revert, err := r.Apply(context.Background(), u.Target())
	if err != nil {
		t.Fatal(err)
	}
	if f := faultTestFraction(u.Mock); f != -1 {
		t.Errorf("step 0 (0%%): active fraction %v, want no fault", f)
	}
	envTestEventually(t, 2*time.Second, "step 1 at 50%", func() bool { return faultTestFraction(u.Mock) == 0.5 })
	envTestEventually(t, 2*time.Second, "step 2 at 100%", func() bool { return faultTestFraction(u.Mock) == 1 })
	if n := len(u.Mock.Faults()); n != 1 {
		t.Errorf("%d faults active, want the ramp's one", n)
	}
	st, _, _ := envTestGet(envTestClient(t, 2*time.Second, false), u.URL+"/")
	if st != 503 {
		t.Errorf("at 100%% the mock answered %d", st)
	}
	if err := revert(); err != nil {
		t.Fatal(err)
	}
	if err := revert(); err != nil {
		t.Fatalf("second revert: %v", err)
	}
	if n := len(u.Mock.Faults()); n != 0 {
		t.Errorf("%d faults left after revert", n)
	}
}

func TestFaultRampNeedsASpanAndStopsWithItsContext(t *testing.T) {
	envTestLeakCheck(t)
	env := envTestNew(t, nil, "primary")
	u, _ := env.Upstream("primary")
	r := &fault.Ramp{From: 0.2, To: 0.8, Steps: 4, Fault: control.Fault{Type: control.TypeStatus, Status: 500}}
	if _, err := r.Apply(context.Background(), u.Target()); err == nil || !strings.Contains(err.Error(), "timeline phase") {
		t.Fatalf("ramp without span: %v", err)
	}
	if _, err := (&fault.Ramp{From: 0, To: 2, Fault: r.Fault, Over: time.Second}).Apply(context.Background(), u.Target()); err == nil {
		t.Fatal("ramp to 200% applied")
	}
	ctx, cancel := context.WithCancel(fault.ContextWithPhaseDuration(context.Background(), time.Hour))
	revert, err := r.Apply(ctx, u.Target())
	if err != nil {
		t.Fatal(err)
	}
	if f := faultTestFraction(u.Mock); f != 0.2 {
		t.Errorf("first step fraction %v, want 0.2", f)
	}
	cancel()
	envTestEventually(t, 2*time.Second, "the ramp to clear its fault when its context ended", func() bool { return len(u.Mock.Faults()) == 0 })
	if err := revert(); err != nil {
		t.Fatal(err)
	}
}

func TestFaultFlapTogglesTheFault(t *testing.T) {
	for _, b := range envTestBackends {
		t.Run(b.name, func(t *testing.T) {
			envTestLeakCheck(t)
			env := envTestNew(t, b.opts(t), "primary")
			u, _ := env.Upstream("primary")
			addr := strings.TrimPrefix(u.URL, "http://")
			down := func() bool {
				c, err := net.DialTimeout("tcp", addr, time.Second)
				if err == nil {
					c.Close()
					return false
				}
				return errors.Is(err, syscall.ECONNREFUSED)
			}
			f := &fault.Flap{Period: 300 * time.Millisecond, Fault: &fault.Down{}}
			if f.Kind() != "flap" || f.String() != "flap down every 300ms" {
				t.Errorf("Kind, String = %q, %q", f.Kind(), f.String())
			}
			revert, err := f.Apply(context.Background(), u.Target())
			if err != nil {
				t.Fatal(err)
			}
			if !down() {
				t.Error("flap does not start on")
			}
			envTestEventually(t, 2*time.Second, "the flap to turn off", func() bool { return !down() })
			envTestEventually(t, 2*time.Second, "the flap to turn on again", down)
			if err := revert(); err != nil {
				t.Fatal(err)
			}
			envTestMustServe(t, envTestClient(t, 2*time.Second, false), u)
		})
	}
}

func TestFaultFlapStopsWithItsContext(t *testing.T) {
	envTestLeakCheck(t)
	env := envTestNew(t, nil, "primary")
	u, _ := env.Upstream("primary")
	ctx, cancel := context.WithCancel(context.Background())
	revert, err := (&fault.Flap{Period: time.Hour, Fault: fault.Status(503)}).Apply(ctx, u.Target())
	if err != nil {
		t.Fatal(err)
	}
	if len(u.Mock.Faults()) != 1 {
		t.Fatal("flap did not apply its fault")
	}
	cancel()
	envTestEventually(t, 2*time.Second, "the flap to revert when its context ended", func() bool { return len(u.Mock.Faults()) == 0 })
	if err := revert(); err != nil {
		t.Fatal(err)
	}
	if _, err := (&fault.Flap{Fault: &fault.Down{}}).Apply(context.Background(), u.Target()); err == nil {
		t.Error("flap without period applied")
	}
}

func TestFaultSeveralAtOnce(t *testing.T) {
	for _, b := range envTestBackends {
		t.Run(b.name, func(t *testing.T) {
			envTestLeakCheck(t)
			env := envTestNew(t, b.opts(t), "primary", "secondary", "store")
			p, _ := env.Upstream("primary")
			s, _ := env.Upstream("secondary")
			st, _ := env.Upstream("store")
			specs := []struct {
				u *Upstream
				f fault.Fault
			}{
				{p, &fault.Latency{Latency: 300 * time.Millisecond}},
				{p, fault.Status(502)},
				{s, &fault.Down{}},
				{st, &fault.Bandwidth{KBps: 100}},
				{st, &fault.Latency{Latency: 100 * time.Millisecond, Direction: fault.DirUpstream}},
			}
			var reverts []func() error
			for _, sp := range specs {
				r, err := sp.f.Apply(context.Background(), sp.u.Target())
				if err != nil {
					t.Fatalf("%s on %s: %v", sp.f, sp.u.Name, err)
				}
				reverts = append(reverts, r)
			}
			c := envTestClient(t, 5*time.Second, false)
			start := time.Now()
			code, _, err := envTestGet(c, p.URL+"/")
			if err != nil || code != 502 || time.Since(start) < 280*time.Millisecond {
				t.Errorf("primary: %d %v after %v; want 502 after >= 300ms", code, err, time.Since(start))
			}
			if _, _, err := envTestGet(c, s.URL+"/"); !errors.Is(err, syscall.ECONNREFUSED) {
				t.Errorf("secondary: %v, want refused", err)
			}
			start = time.Now()
			if code, _, err := envTestGet(c, st.URL+"/?n=40000"); err != nil || code != 200 || time.Since(start) < 350*time.Millisecond {
				t.Errorf("store: %d %v after %v; want 200 after >= 100ms + 40KB at 100KB/s", code, err, time.Since(start))
			}
			for i := len(reverts) - 1; i >= 0; i-- {
				if err := reverts[i](); err != nil {
					t.Fatal(err)
				}
			}
			for _, u := range []*Upstream{p, s, st} {
				envTestMustServe(t, c, u)
			}
		})
	}
}
