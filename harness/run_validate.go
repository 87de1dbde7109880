package harness

import "fmt"

// ValidateScenario checks what Run needs before it starts anything: a name, unique named
// upstreams, a SUT, a positive load rate, at least one phase, positive phase durations, and
// faults that name a declared upstream. SLO expressions are harness/slo's to check.
// It returns a *ScenarioError for the first problem.
func ValidateScenario(sc Scenario) error {
	bad := func(field, format string, args ...any) error {
		return &ScenarioError{Scenario: sc.Name, Field: field, Msg: fmt.Sprintf(format, args...)}
	}
	if sc.Name == "" {
		return bad("name", "is empty; give the scenario a name")
	}
	known := make(map[string]bool, len(sc.Upstreams))
	for i, u := range sc.Upstreams {
		if u.Name == "" {
			return bad(fmt.Sprintf("upstreams[%d].name", i), "is empty; name every upstream (primary, secondary, ...)")
		}
		if known[u.Name] {
			return bad(fmt.Sprintf("upstreams[%d].name", i), "%q is declared twice; names must be unique", u.Name)
		}
		known[u.Name] = true
	}
	if len(sc.SUT.Command) == 0 && sc.SUT.Handler == nil && sc.SUT.URL == "" {
		return bad("sut", "has no command, handler or url; say how to start or reach the app")
	}
	if len(sc.SUT.Command) > 0 && sc.SUT.Handler != nil {
		return bad("sut", "has both a command and a handler; give one")
	}
	if sc.Load.Rate <= 0 {
		return bad("load.rate", "is %v; give a positive rate (requests per second)", sc.Load.Rate)
	}
	if sc.Load.Timeout < 0 {
		return bad("load.timeout", "is negative (%v)", sc.Load.Timeout)
	}
	if sc.Load.MaxInFlight < 0 {
		return bad("load.max_in_flight", "is negative (%d)", sc.Load.MaxInFlight)
	}
	if len(sc.Timeline.Phases) == 0 {
		return bad("timeline", "has no phases; add at least one (e.g. {phase: steady, for: 5s})")
	}
	for i, p := range sc.Timeline.Phases {
		if p.Name == "" {
			return bad(fmt.Sprintf("timeline[%d].phase", i), "is empty; name every phase")
		}
		if p.Duration <= 0 {
			return bad(fmt.Sprintf("timeline[%d].for", i), "phase %q lasts %v; give it a positive duration", p.Name, p.Duration)
		}
		for j, f := range p.Faults {
			field := fmt.Sprintf("timeline[%d].faults[%d]", i, j)
			if f.Fault == nil {
				return bad(field, "has no fault; give its type")
			}
			if !known[f.Upstream] {
				return bad(field+".upstream", "%q is not a declared upstream (declared: %v)", f.Upstream, upstreamNames(sc.Upstreams))
			}
		}
	}
	return nil
}

func upstreamNames(specs []UpstreamSpec) []string {
	out := make([]string, len(specs))
	for i, s := range specs {
		out[i] = s.Name
	}
	return out
}
