package scenarios

import (
	"fmt"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/llmchaos/llmchaos/harness"
	"github.com/llmchaos/llmchaos/harness/tmpl"
)

func (b *builder) sut(y *yScenario, sc *harness.Scenario) {
	s := y.SUT
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

// template checks text parses as the harness will parse it (tmpl.Parse).
func (b *builder) template(line int, field, text string) {
	if _, err := tmpl.Parse(field, text); err != nil {
		b.fail(line, field, "bad template: %v", err)
	}
}
