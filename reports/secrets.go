package reports

import (
	"io"
	"strings"
	"sync"
)

// secretNameParts are what make a variable's name look secret (case-insensitive).
var secretNameParts = []string{"API_KEY", "APIKEY", "TOKEN", "SECRET", "PASSWORD", "AUTH"}

// Secrets returns the values of variables whose names look secret (API keys, tokens,
// passwords), from an app's env and from environ ("K=V" lines, like os.Environ), for a
// Redactor: the one secret-name policy of the project.
func Secrets(env map[string]string, environ []string) []string {
	var out []string
	add := func(k, v string) {
		if v != "" && looksSecret(k) {
			out = append(out, v)
		}
	}
	for k, v := range env {
		add(k, v)
	}
	for _, kv := range environ {
		k, v, _ := strings.Cut(kv, "=")
		add(k, v)
	}
	return out
}

func looksSecret(name string) bool {
	n := strings.ToUpper(name)
	for _, s := range secretNameParts {
		if strings.Contains(n, s) {
			return true
		}
	}
	return false
}

// Writer returns an io.Writer that redacts each write before passing it on to w. Give it
// whole lines (the harness writes an app's output one line per write), so a secret is
// never split across writes. It is safe for concurrent use.
func (r *Redactor) Writer(w io.Writer) io.Writer { return &redactWriter{w: w, red: r} }

type redactWriter struct {
	mu  sync.Mutex
	w   io.Writer
	red *Redactor
}

func (rw *redactWriter) Write(p []byte) (int, error) {
	rw.mu.Lock()
	defer rw.mu.Unlock()
	if _, err := io.WriteString(rw.w, rw.red.Redact(string(p))); err != nil {
		return 0, err
	}
	return len(p), nil
}
