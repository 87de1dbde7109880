package harness

import (
	"errors"
	"fmt"
	"strings"
	"unicode"

	"github.com/llmchaos/llmchaos/harness/fault"
	"github.com/llmchaos/llmchaos/harness/load"
	"github.com/llmchaos/llmchaos/mocks/llm"
)

// ValidateScenario checks what Run needs before it starts anything, and is the one place
// each rule of the model is checked (the YAML loader calls it and adds the file's lines):
// a name; named, unique upstreams of a known kind with sane answer shapes (at most
// llm.MaxAnswerWords words); one way to start or reach the SUT; a usable load; at least
// one phase, each named once and lasting a positive duration; faults that name a
// declared upstream, pass their own validation (fault.Validate) and are played by that
// upstream's kind; and no more scheduled requests than DefaultMaxSamples. Every template
// (the app's command, env and URL, the driver's path, headers and body) is rendered once
// over data shaped like a run's, so a template naming a missing field, or one past the
// template limits (tmpl.MaxRenderedBytes, tmpl.MaxRangeCount), fails here; so does an
// env entry or argument exec cannot pass on (a NUL, a name with '='). SLO expressions
// are harness/slo's to check. It returns a *ScenarioError for the first problem, its
// Field written as the YAML writes it ("timeline[1].faults[0].retry_after").
func ValidateScenario(sc Scenario) error {
	data := validationData(sc)
	for _, err := range []error{
		checkName(sc.Name),
		validateUpstreams(sc.Upstreams),
		validateSUT(sc.SUT),
		validateSUTTemplates(sc.SUT, data),
		validateLoad(sc.Load),
		validateRequestTemplates(sc.Load.Request, data),
		validateTimeline(sc.Timeline, sc.Upstreams),
		validateBudget(sc.Load, sc.Timeline),
	} {
		if err != nil {
			return asScenarioError(sc.Name, err)
		}
	}
	return nil
}

// asScenarioError is err as the *ScenarioError of scenario, its field named when err is
// a *fault.FieldError.
func asScenarioError(scenario string, err error) *ScenarioError {
	var fe *fault.FieldError
	if errors.As(err, &fe) {
		return &ScenarioError{Scenario: scenario, Field: fe.Field, Msg: fe.Msg}
	}
	return &ScenarioError{Scenario: scenario, Msg: err.Error()}
}

// bad is a FieldError with a formatted message.
func bad(field, format string, args ...any) error {
	return &fault.FieldError{Field: field, Msg: fmt.Sprintf(format, args...)}
}

func checkName(name string) error {
	if name == "" {
		return bad("name", "is empty; give the scenario a name")
	}
	return nil
}

// validateUpstreams checks the upstream specs (NewEnv calls it too).
func validateUpstreams(specs []UpstreamSpec) error {
	known := make(map[string]bool, len(specs))
	for i, u := range specs {
		field := fmt.Sprintf("upstreams[%d]", i)
		switch {
		case u.Name == "":
			return bad(field+".name", "is empty; name every upstream (primary, secondary, ...)")
		case known[u.Name]:
			return bad(field+".name", "%q is declared twice; names must be unique", u.Name)
		case u.Kind == "":
			return bad(field+".kind", "is empty; give one of %s", kindNames())
		case u.AnswerWords < 0:
			return bad(field+".answer_words", "%d is negative", u.AnswerWords)
		case u.AnswerWords > llm.MaxAnswerWords:
			return bad(field+".answer_words", "%d is more than the %d words an answer may hold (llm.MaxAnswerWords)", u.AnswerWords, llm.MaxAnswerWords)
		case u.TTFT < 0:
			return bad(field+".ttft", "%v is negative", u.TTFT)
		case u.TokenDelay < 0:
			return bad(field+".token_delay", "%v is negative", u.TokenDelay)
		}
		k, ok := lookupKind(u.Kind)
		if !ok {
			return bad(field+".kind", "unknown kind %q: one of %s", u.Kind, kindNames())
		}
		if err := validatePlacement(field, u, specs[:i]); err != nil {
			return err
		}
		if err := validateTarget(field, k, u); err != nil {
			return err
		}
		known[u.Name] = true
	}
	return nil
}

// validateTarget wants a target on a real service's upstream, and none on a mock's.
func validateTarget(field string, k kindInfo, u UpstreamSpec) error {
	switch {
	case k.real && u.Target == "":
		return bad(field+".target", "is missing: a %s upstream is a real service; say where (host:port for tcp, a URL for http; $VAR reads the environment)", u.Kind)
	case !k.real && u.Target != "":
		return bad(field+".target", "a %s upstream is a mock llmchaos starts; target is for the real-service kinds tcp and http", u.Kind)
	case k.real && u.Remote != "":
		return bad(field+".remote", "a %s upstream is a real service at target, not a mock: drop remote", u.Kind)
	case k.real && !strings.Contains(u.Target, "$"):
		if _, _, err := realTarget(u.Kind, u.Target); err != nil {
			return bad(field+".target", "%q %v", u.Target, err)
		}
	}
	return nil
}

func validateSUT(s SUTSpec) error {
	switch {
	case len(s.Command) == 0 && s.Handler == nil && s.URL == "":
		return bad("sut", "has no command, handler or url; say how to start or reach the app")
	case len(s.Command) > 0 && s.Handler != nil:
		return bad("sut", "has both a command and a handler; give one")
	case s.Ready.Path != "" && !strings.HasPrefix(s.Ready.Path, "/"):
		return bad("sut.ready.path", "%q must start with /", s.Ready.Path)
	case s.Ready.Timeout < 0:
		return bad("sut.ready.timeout", "%v is negative", s.Ready.Timeout)
	}
	return nil
}

// validateLoad is load.Spec.Validate with its fields under "load".
func validateLoad(l load.Spec) error {
	err := l.Validate()
	var fe *fault.FieldError
	if errors.As(err, &fe) {
		return bad(joinField("load", fe.Field), "%s", fe.Msg)
	}
	return err
}

// validateBudget refuses a timeline whose phases overflow a duration, and a load that
// would schedule more than DefaultMaxSamples requests over it.
func validateBudget(l load.Spec, tl Timeline) error {
	total, ok := timelineTotal(tl)
	if !ok {
		return bad("timeline", "the phases last longer than a duration can hold (about 292 years): shorten them")
	}
	if l.Rate <= 0 {
		return nil // validateLoad's to report
	}
	if n := scheduledRequests(l.Rate, total); n > DefaultMaxSamples {
		return bad("load.rate", "%g requests/s over the timeline's %v schedules %.0f requests, more than the run's budget of %d samples (DefaultMaxSamples): lower the rate or shorten the timeline", l.Rate, total, n, DefaultMaxSamples)
	}
	return nil
}

// validateTimeline checks the phases and their faults against the declared upstreams.
func validateTimeline(tl Timeline, upstreams []UpstreamSpec) error {
	if len(tl.Phases) == 0 {
		return bad("timeline", "has no phases; add at least one (e.g. {phase: steady, for: 5s})")
	}
	seen := map[string]bool{}
	for i, p := range tl.Phases {
		field := fmt.Sprintf("timeline[%d]", i)
		switch {
		case p.Name == "":
			return bad(field+".phase", "is empty; name every phase (steady, outage, recovery, ...)")
		case strings.IndexFunc(p.Name, unicode.IsControl) >= 0:
			return bad(field+".phase", "%q holds a control character; name phases with printable text", p.Name)
		case seen[p.Name]:
			return bad(field+".phase", "%q appears twice; phase names must be unique (SLOs name them)", p.Name)
		case p.Duration <= 0:
			return bad(field+".for", "phase %q lasts %v; give it a positive duration", p.Name, p.Duration)
		}
		seen[p.Name] = true
		for j, f := range p.Faults {
			if err := validateFaultSpec(fmt.Sprintf("%s.faults[%d]", field, j), f, upstreams); err != nil {
				return err
			}
		}
	}
	return nil
}

// validateFaultSpec checks one fault: its upstream, its own fields, and that the
// upstream's kind plays it.
func validateFaultSpec(field string, f FaultSpec, upstreams []UpstreamSpec) error {
	if f.Fault == nil {
		return bad(field, "has no fault; give its type")
	}
	i := upstreamIndex(upstreams, f.Upstream)
	if i < 0 {
		return bad(field+".upstream", "%q is not a declared upstream (declared: %v)", f.Upstream, upstreamNames(upstreams))
	}
	if err := fault.Validate(f.Fault); err != nil {
		var fe *fault.FieldError
		if errors.As(err, &fe) {
			return bad(joinField(field, fe.Field), "%s", fe.Msg)
		}
		return bad(field, "%v", err)
	}
	if k, ok := lookupKind(upstreams[i].Kind); ok {
		if why := k.checkModes(fault.Modes(f.Fault)); why != "" {
			return bad(field+".type", "%s on %s: %s; protocol faults are played by the upstream's mock", f.Fault.Kind(), f.Upstream, why)
		}
		if err := k.checkFaults(fault.ProtocolFaults(f.Fault)); err != nil {
			var fe *fault.FieldError
			if errors.As(err, &fe) {
				return bad(joinField(field, fe.Field), "%s (upstream %s)", fe.Msg, f.Upstream)
			}
			return bad(field, "%v", err)
		}
	}
	return nil
}

func upstreamIndex(specs []UpstreamSpec, name string) int {
	for i, s := range specs {
		if s.Name == name {
			return i
		}
	}
	return -1
}

func upstreamNames(specs []UpstreamSpec) []string {
	out := make([]string, len(specs))
	for i, s := range specs {
		out[i] = s.Name
	}
	return out
}

// joinField is base.sub, or base when sub is empty.
func joinField(base, sub string) string {
	if sub == "" {
		return base
	}
	return base + "." + sub
}
