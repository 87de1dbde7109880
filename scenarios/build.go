package scenarios

import (
	"fmt"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"text/template"

	"gopkg.in/yaml.v3"

	"github.com/llmchaos/llmchaos/harness"
)

// builder turns a decoded file into the harness model, keeping the first error.
type builder struct {
	path string
	root *yaml.Node
	err  error
}

func (b *builder) fail(line int, field, format string, args ...any) {
	if b.err == nil {
		b.err = &Error{File: b.path, Line: line, Field: trimField(field), Msg: fmt.Sprintf(format, args...)}
	}
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
	switch {
	case y.Name.V == "":
		b.fail(1, "name", "missing: every scenario needs a name (lowercase, digits, dashes)")
	case !nameRE.MatchString(y.Name.V):
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
		kind := harness.UpstreamKind(u.Kind.V)
		switch kind {
		case harness.KindOpenAI, harness.KindAnthropic, harness.KindOTLP, harness.KindStore:
		case "":
			b.fail(line, field+".kind", "missing: one of openai, anthropic, otlp, store")
		default:
			b.fail(u.Kind.Line, field+".kind", "unknown kind %q: one of openai, anthropic, otlp, store", u.Kind.V)
		}
		if u.AnswerWords < 0 {
			b.fail(line, field+".answer_words", "must not be negative")
		}
		sc.Upstreams = append(sc.Upstreams, harness.UpstreamSpec{
			Name: name, Kind: kind, AnswerWords: u.AnswerWords, TTFT: u.TTFT.D, TokenDelay: u.TokenDelay.D,
		})
	}
}

func (b *builder) sut(y *yScenario, sc *harness.Scenario) {
	s := y.SUT
	line := lineOf(b.root, "sut")
	if len(s.Command) == 0 && s.URL == "" {
		b.fail(line, "sut", "set command (an app the harness starts) or url (an app already running)")
	}
	dir := s.Dir
	if dir != "" && !filepath.IsAbs(dir) && !strings.Contains(dir, "{{") {
		dir = filepath.Join(filepath.Dir(b.path), dir)
	}
	for i, part := range s.Command {
		b.template(lineOf(b.root, "sut", "command"), fmt.Sprintf("sut.command[%d]", i), part)
	}
	if len(s.Command) > 0 && !strings.Contains(s.Command[0], "{{") {
		b.commandExists(lineOf(b.root, "sut", "command"), s.Command[0], dir)
	}
	for _, k := range sortedKeys(s.Env) {
		b.template(lineOf(b.root, "sut", "env", k), "sut.env."+k, s.Env[k])
	}
	b.template(lineOf(b.root, "sut", "url"), "sut.url", s.URL)
	if s.Ready.Path != "" && !strings.HasPrefix(s.Ready.Path, "/") {
		b.fail(lineOf(b.root, "sut", "ready", "path"), "sut.ready.path", "%q must start with /", s.Ready.Path)
	}
	sc.SUT = harness.SUTSpec{
		Command: s.Command, Dir: dir, Env: s.Env, URL: s.URL,
		Ready: harness.ReadySpec{Path: s.Ready.Path, Timeout: s.Ready.Timeout.D},
	}
}

// commandExists checks the SUT's program can be found, as exec would look for it.
func (b *builder) commandExists(line int, prog, dir string) {
	if strings.Contains(prog, "/") {
		p := prog
		if !filepath.IsAbs(p) && dir != "" {
			p = filepath.Join(dir, p)
		}
		if _, err := exec.LookPath(p); err != nil {
			b.fail(line, "sut.command", "program %q does not exist or is not executable (looked at %s)", prog, p)
		}
		return
	}
	if _, err := exec.LookPath(prog); err != nil {
		b.fail(line, "sut.command", "program %q is not on PATH", prog)
	}
}

func (b *builder) template(line int, field, text string) {
	if !strings.Contains(text, "{{") {
		return
	}
	if _, err := template.New(field).Option("missingkey=error").Parse(text); err != nil {
		b.fail(line, field, "bad template: %v", err)
	}
}

func (b *builder) load(y *yScenario, sc *harness.Scenario) {
	l := y.Load
	if l.Rate.PerSecond <= 0 {
		b.fail(lineOf(b.root, "load"), "load.rate", "missing: how many requests a second, e.g. rate: 20/s")
	}
	proto := harness.Protocol(l.Request.Protocol.V)
	switch proto {
	case harness.ProtocolOpenAIChat, harness.ProtocolAnthropicMessages, harness.ProtocolHTTP:
	case "":
		proto = harness.ProtocolOpenAIChat
	default:
		b.fail(l.Request.Protocol.Line, "load.request.protocol", "unknown protocol %q: one of openai-chat, anthropic-messages, http", l.Request.Protocol.V)
	}
	if l.MaxInFlight < 0 {
		b.fail(lineOf(b.root, "load", "max_in_flight"), "load.max_in_flight", "must not be negative")
	}
	b.template(lineOf(b.root, "load", "request", "path"), "load.request.path", l.Request.Path)
	b.template(lineOf(b.root, "load", "request", "body"), "load.request.body", l.Request.Body)
	for _, k := range sortedKeys(l.Request.Headers) {
		b.template(lineOf(b.root, "load", "request", "headers", k), "load.request.headers."+k, l.Request.Headers[k])
	}
	sc.Load = harness.LoadSpec{
		Rate: l.Rate.PerSecond, Timeout: l.Timeout.D, MaxInFlight: l.MaxInFlight,
		Request: harness.RequestSpec{
			Protocol: proto, Method: l.Request.Method, Path: l.Request.Path, Stream: l.Request.Stream,
			Model: l.Request.Model, Headers: l.Request.Headers, Body: l.Request.Body,
			SuccessStatus: l.Request.Success.Status, SuccessContains: l.Request.Success.Contains,
		},
	}
}

func (b *builder) timeline(y *yScenario, sc *harness.Scenario) {
	if len(y.Timeline) == 0 {
		b.fail(lineOf(b.root, "timeline"), "timeline", "no phases: give at least one, e.g. - {phase: steady, for: 5s}")
		return
	}
	scale := 1.0
	if r := y.Replay; r != nil {
		if r.Real.D <= 0 || r.Played.D <= 0 {
			b.fail(lineOf(b.root, "replay"), "replay", "set both real and played, e.g. {real: 1h, played: 4s}")
		} else {
			scale = float64(r.Played.D) / float64(r.Real.D)
		}
	}
	known := map[string]bool{}
	for _, u := range sc.Upstreams {
		known[u.Name] = true
	}
	seen := map[string]bool{}
	for i, p := range y.Timeline {
		field := fmt.Sprintf("timeline[%d]", i)
		switch {
		case p.Phase.V == "":
			b.fail(p.For.Line, field+".phase", "missing: name the phase (steady, outage, recovery, ...)")
		case seen[p.Phase.V]:
			b.fail(p.Phase.Line, field+".phase", "phase %q appears twice: phase names must be unique", p.Phase.V)
		}
		seen[p.Phase.V] = true
		if p.For.D <= 0 {
			b.fail(max(p.For.Line, p.Phase.Line), field+".for", "missing or zero: how long the phase lasts, e.g. for: 5s")
		}
		phase := harness.Phase{Name: p.Phase.V, Duration: p.For.D}
		for k := range p.Faults {
			n := &p.Faults[k]
			ff := fmt.Sprintf("%s.faults[%d]", field, k)
			fs, ok := b.fault(ff, n)
			switch {
			case !ok:
			case fs.Upstream == "":
				b.fail(n.Line, ff+".upstream", "missing: which upstream the fault hits")
			case !known[fs.Upstream]:
				b.fail(lineOf(n, "upstream"), ff+".upstream", "unknown upstream %q (the file's upstreams: %s)", fs.Upstream, strings.Join(sortedKeys(y.Upstreams), ", "))
			default:
				phase.Faults = append(phase.Faults, fs)
			}
		}
		sc.Timeline.Phases = append(sc.Timeline.Phases, phase)
	}
	if scale != 1 {
		sc.Timeline = sc.Timeline.Scaled(scale)
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
