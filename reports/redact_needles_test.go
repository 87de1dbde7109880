package reports

import (
	"strings"
	"testing"
)

// needleTexts are texts Redact sees: every planted shape alone and inside a log line, in
// other cases, ordinary report strings, and near misses.
func needleTexts() []string {
	texts := []string{
		"", "outage", "availability(outage) >= 0.95", "p99(latency, brownout) <= 2s", "http_error",
		"fault down on primary", "gateway: listening on 127.0.0.1:40123", "max_tokens: 256",
		"AUTHORIZATION: BEARER abcdefghijk", "Api_Key=0123456789", "PASSWORD=hunter2hunter2",
		"x-goog-api-key: AIzaSomething", "sk-short", "ghp_short", "redis://:pw@127.0.0.1:6379/0",
		"[REDACTED] [REDACTED]", "authorization=[REDACTED]", "eyJ.eyJ.", "-----BEGIN PUBLIC KEY-----",
	}
	for _, v := range plantedShapes {
		texts = append(texts, v, "level=info msg=\"calling upstream\" "+v+" done",
			strings.ToUpper(v), strings.ToLower(v), v+"\n"+v)
	}
	return texts
}

// TestRedactNeedlesChangeNothing: skipping the expressions whose needles a text lacks
// gives exactly what running every expression gives.
func TestRedactNeedlesChangeNothing(t *testing.T) {
	r := NewRedactor("literal-secret-value", "another-literal-secret")
	texts := append(needleTexts(), "key literal-secret-value in a line")
	for _, s := range texts {
		if got, want := r.Redact(s), r.redactEvery(s); got != want {
			t.Errorf("Redact(%q)\n = %q\nwant %q (every expression)", s, got, want)
		}
	}
}

// FuzzRedactNeedles holds Redact to redactEvery on any text.
func FuzzRedactNeedles(f *testing.F) {
	for _, s := range needleTexts() {
		f.Add(s)
	}
	r := NewRedactor("literal-secret-value")
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := r.Redact(s), r.redactEvery(s); got != want {
			t.Errorf("Redact(%q)\n = %q\nwant %q (every expression)", s, got, want)
		}
	})
}

// BenchmarkRedact compares Redact with and without the needle check on the strings of a
// report: short names, SLO expressions, log lines, and a few secrets.
func BenchmarkRedact(b *testing.B) {
	r := NewRedactor("literal-secret-value")
	texts := needleTexts()
	for _, bc := range []struct {
		name string
		f    func(string) string
	}{{"needles", r.Redact}, {"every-expression", r.redactEvery}} {
		b.Run(bc.name, func(b *testing.B) {
			for b.Loop() {
				for _, s := range texts {
					_ = bc.f(s)
				}
			}
		})
	}
}
