package main

import (
	"io"
	"os"
	"sync"

	"github.com/llmchaos/llmchaos/reports"
	"github.com/llmchaos/llmchaos/scenarios"
)

// redactorFor returns the redactor for what f's run prints: the secrets of its sut.env and
// of this process's environment, and every credential shape reports knows. The reports are
// redacted by scenarios.Execute; this covers the CLI's own output (errors with the app's
// log tail, --app-log).
func redactorFor(f *scenarios.File) *reports.Redactor {
	return reports.NewRedactor(scenarios.Secrets(f.Scenario.SUT.Env, os.Environ())...)
}

// redactWriter redacts each write before passing it on. The harness writes the app's
// output one whole line per write, so a secret is never split across writes.
type redactWriter struct {
	mu  sync.Mutex
	w   io.Writer
	red *reports.Redactor
}

var _ io.Writer = (*redactWriter)(nil)

func (r *redactWriter) Write(p []byte) (int, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, err := io.WriteString(r.w, r.red.Redact(string(p))); err != nil {
		return 0, err
	}
	return len(p), nil
}
