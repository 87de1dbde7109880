package scenarios

import (
	"fmt"
	"regexp"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/llmchaos/llmchaos/harness"
	"github.com/llmchaos/llmchaos/harness/load"
)

// builder turns a decoded file into the harness model and checks what only the file
// can say (names, templates, programs, SLO phases, expectations); the model's rules are
// harness.ValidateScenario's (see validate.go).
type builder struct {
	path string
	root *yaml.Node
	errs []*Error
}

func (b *builder) fail(line int, field, format string, args ...any) {
	b.errs = append(b.errs, &Error{File: b.path, Line: line, Field: trimField(field), Msg: fmt.Sprintf(format, args...)})
}

var nameRE = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]*$`)

func (b *builder) build(y *yScenario) *File {
	f := &File{Path: b.path, References: y.References, Expect: map[string]Expectation{}}
	sc := &f.Scenario
	sc.Source = b.path
	sc.Name = y.Name.V
	sc.Description = strings.TrimSpace(y.Description)
	sc.Labels = y.Labels
	sc.Seed = y.Seed
	if y.Name.V != "" && !nameRE.MatchString(y.Name.V) {
		b.fail(y.Name.Line, "name", "%q: use lowercase letters, digits, '.', '_' and '-' only", y.Name.V)
	}
	b.upstreams(y, sc)
	b.sut(y, sc)
	b.load(y, sc)
	b.timeline(y, sc)
	b.slos(y, sc)
	b.expect(y, f)
	return f
}

func (b *builder) upstreams(y *yScenario, sc *harness.Scenario) {
	if len(y.Upstreams) == 0 {
		b.fail(lineOf(b.root, "upstreams"), "upstreams", "missing: name at least one upstream, e.g. primary: {kind: openai}")
		return
	}
	for _, name := range sortedKeys(y.Upstreams) {
		u := y.Upstreams[name]
		field := "upstreams." + name
		line := lineOf(b.root, "upstreams", name)
		if !nameRE.MatchString(name) {
			b.fail(line, field, "upstream name %q: use lowercase letters, digits and dashes", name)
		}
		sc.Upstreams = append(sc.Upstreams, harness.UpstreamSpec{
			Name: name, Kind: harness.UpstreamKind(u.Kind.V), Target: u.Target.V, AnswerWords: u.AnswerWords, TTFT: u.TTFT.D, TokenDelay: u.TokenDelay.D,
			Remote: u.Remote.V, Listen: u.Listen.V,
		})
	}
}

func (b *builder) load(y *yScenario, sc *harness.Scenario) {
	l := y.Load
	proto := load.Protocol(l.Request.Protocol.V)
	if proto == "" {
		proto = load.ProtocolOpenAIChat // the file's default
	}
	b.template(lineOf(b.root, "load", "request", "path"), "load.request.path", l.Request.Path)
	b.template(lineOf(b.root, "load", "request", "body"), "load.request.body", l.Request.Body)
	for _, k := range sortedKeys(l.Request.Headers) {
		b.template(lineOf(b.root, "load", "request", "headers", k), "load.request.headers."+k, l.Request.Headers[k])
	}
	sc.Load = load.Spec{
		Rate: l.Rate.PerSecond, Timeout: l.Timeout.D, MaxInFlight: l.MaxInFlight,
		Request: load.Request{
			Protocol: proto, Method: l.Request.Method, Path: l.Request.Path, Stream: l.Request.Stream, Tools: l.Request.Tools,
			Model: l.Request.Model, Headers: l.Request.Headers, Body: l.Request.Body,
			SuccessStatus: l.Request.Success.Status, SuccessContains: l.Request.Success.Contains,
		},
	}
}

func (b *builder) expect(y *yScenario, f *File) {
	for _, app := range sortedKeys(y.Expect) {
		e := y.Expect[app]
		var pass bool
		switch e.Verdict.V {
		case "pass":
			pass = true
		case "fail":
		default:
			b.fail(max(e.Verdict.Line, lineOf(b.root, "expect", app)), "expect."+app+".verdict", "%q: want pass or fail", e.Verdict.V)
		}
		exp := Expectation{Pass: pass, Why: strings.TrimSpace(e.Why)}
		for _, s := range e.Breached {
			if !contains(f.Scenario.SLOs, s.V) {
				b.fail(s.Line, "expect."+app+".breached", "%q is not one of the file's slo lines", s.V)
			}
			exp.Breached = append(exp.Breached, s.V)
		}
		if pass && len(exp.Breached) > 0 {
			b.fail(lineOf(b.root, "expect", app), "expect."+app, "a passing expectation cannot list breached SLOs")
		}
		f.Expect[app] = exp
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
