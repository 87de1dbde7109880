package scenarios

import (
	"errors"
	"strings"
	"testing"
)

// TestBadInputIsCaughtAtValidation: input that used to pass validate and then fail the run
// (exit 3) or exhaust memory is refused when the file loads, with the file, the line and
// the field: rates that are not usable, a method that is not an HTTP token, templates that
// name missing fields or render without bound, env entries exec cannot pass on, answers and
// runs past their limits, a replay whose scale overflows.
func TestBadInputIsCaughtAtValidation(t *testing.T) {
	const sutURL = "  url: http://127.0.0.1:1\n"
	const rate = "  rate: 10/s\n"
	cases := []struct {
		name, from, to string
		line           int
		field, msg     string
	}{
		{"rate NaN", rate, "  rate: NaN/s\n", 8, "load.rate", "not usable"},
		{"rate Inf", rate, "  rate: Inf/s\n", 8, "load.rate", "not usable"},
		{"rate 1e9", rate, "  rate: 1e9/s\n", 8, "load.rate", "not usable"},
		{"method with a space", rate, rate + "  request: {method: \"GET POST\"}\n", 9, "load.request.method", "not an HTTP method"},
		{"method with a newline", rate, rate + "  request: {method: \"GET\\nX: y\"}\n", 9, "load.request.method", "not an HTTP method"},
		{"env template names a missing field", sutURL, sutURL + "  env: {A: \"{{ .Nope }}\"}\n", 7, "sut.env.A", "Nope"},
		{"env template calls a missing field", sutURL, sutURL + "  env: {A: \"{{ call .Nope }}\"}\n", 7, "sut.env.A", "Nope"},
		{"url template names a missing upstream", sutURL, "  url: \"{{ .Upstreams.nope.URL }}\"\n", 6, "sut.url", "nope"},
		{"body template calls a missing field", rate, rate + "  request: {protocol: http, body: \"{{ call .Nope }}\"}\n", 9, "load.request.body", "Nope"},
		{"header template names a missing field", rate, rate + "  request: {headers: {x-a: \"{{ .Upstreams.primary.Nope }}\"}}\n", 9, "load.request.headers.x-a", "Nope"},
		{"path template names a missing field", rate, rate + "  request: {path: \"/{{ .Nope }}\"}\n", 9, "load.request.path", "Nope"},
		{"env template ranges without bound", sutURL, sutURL + "  env: {C: \"{{ range 100000000000 }}x{{ end }}\"}\n", 7, "sut.env.C", "at most"},
		{"empty range without bound", rate, rate + "  request: {protocol: http, body: \"{{ range 100000000000 }}{{ end }}\"}\n", 9, "load.request.body", "at most"},
		{"body template renders too much", rate, rate + "  request: {protocol: http, body: \"{{ range 1000 }}{{ printf \\\"%0100000d\\\" 1 }}{{ end }}\"}\n", 9, "load.request.body", "bytes"},
		{"template defines templates", sutURL, sutURL + "  env: {A: \"{{ define \\\"x\\\" }}{{ template \\\"x\\\" }}{{ end }}\"}\n", 7, "sut.env.A", "define"},
		{"env value with NUL", sutURL, sutURL + "  env: {F: \"a\\0b\"}\n", 7, "sut.env.F", "NUL"},
		{"env name with =", sutURL, sutURL + "  env: {\"D=E\": x}\n", 7, "sut.env.D=E", "="},
		{"command with NUL", sutURL, "  command: [/bin/sh, \"a\\0b\"]\n", 6, "sut.command[1]", "NUL"},
		{"answer words past the limit", "{kind: openai}", "{kind: openai, answer_words: 1000000000}", 4, "upstreams.primary.answer_words", "100000"},
		{"replay scale overflows", "timeline:\n", "replay: {real: 1ns, played: 1000h}\ntimeline:\n", 9, "replay", "overflow"},
		{"phase name with ESC", "{phase: steady,", "{phase: \"st\\e[2Jeady\",", 10, "timeline[0].phase", "control character"},
		{"more samples than the budget", rate, "  rate: 1000000/s\n", 8, "load.rate", "2000000"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			src := strings.Replace(goodScenario, tc.from, tc.to, 1)
			if src == goodScenario {
				t.Fatalf("the case did not change the file: %q not found", tc.from)
			}
			_, err := Parse("bad.yaml", []byte(src))
			var se *Error
			if !errors.As(err, &se) {
				t.Fatalf("want *Error, got %T: %v", err, err)
			}
			if se.Line != tc.line || se.Field != tc.field || !strings.Contains(se.Msg, tc.msg) {
				t.Fatalf("got line %d field %q msg %q\nwant line %d field %q msg containing %q", se.Line, se.Field, se.Msg, tc.line, tc.field, tc.msg)
			}
		})
	}
}

// TestAliasErrorsNameTheUse: a type error on a node reused through a YAML alias names the
// field that could not take it (where the alias is), not the anchor's field.
func TestAliasErrorsNameTheUse(t *testing.T) {
	cases := []struct {
		name, to   string
		line       int
		field, msg string
	}{
		{"alias into a number", "references: [a, b, c, d, e, f, g, h, i, &x j]\nlabels: [one, *x]\nseed: *x\n", 4, "seed", "int64"},
		{"anchor that is itself fine", "references: [a, b, c, d, e, f, g, h, i, &x j]\nlabels: [one, *x]\nseed: [*x]\n", 4, "seed", "int64"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			src := strings.Replace(goodScenario, "description: a small valid scenario\n", tc.to, 1)
			_, err := Parse("alias.yaml", []byte(src))
			var se *Error
			if !errors.As(err, &se) {
				t.Fatalf("want *Error, got %T: %v", err, err)
			}
			if se.Line != tc.line || se.Field != tc.field || !strings.Contains(se.Msg, tc.msg) {
				t.Fatalf("got line %d field %q msg %q\nwant line %d field %q msg containing %q", se.Line, se.Field, se.Msg, tc.line, tc.field, tc.msg)
			}
		})
	}
}

// TestLongValuesAreCutInErrors: an error about a 100 KB value (an SLO, a rate, a phase
// name) quotes only the start of it, and still names the file, line and field.
func TestLongValuesAreCutInErrors(t *testing.T) {
	long := strings.Repeat("x", 100_000)
	cases := []struct{ name, from, to, field string }{
		{"slo", "  - availability(outage) >= 0.9\n", "  - availability(outage) >= 0.9" + long + "\n", "slo[0]"},
		{"rate", "  rate: 10/s\n", "  rate: " + long + "/s\n", "load.rate"},
		{"phase an slo names", "  - availability(outage) >= 0.9\n", "  - availability(" + long + ") >= 0.9\n", "slo[0]"},
		{"duplicate long phase", "{phase: steady", "{phase: " + long + "", "timeline[0].for"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			src := strings.Replace(goodScenario, tc.from, tc.to, 1)
			if tc.name == "duplicate long phase" {
				src = strings.Replace(goodScenario, "  - {phase: steady, for: 1s}\n", "  - {phase: "+long+", for: 0s}\n", 1)
			}
			_, err := Parse("long.yaml", []byte(src))
			var se *Error
			if !errors.As(err, &se) || se.Field != tc.field {
				t.Fatalf("want an *Error on %s, got %v", tc.field, clipForTest(err))
			}
			if n := len(err.Error()); n > 2000 {
				t.Fatalf("the error is %d bytes: it echoes the value in full: %s", n, clipForTest(err))
			}
		})
	}
}

func clipForTest(err error) string {
	if err == nil {
		return "<nil>"
	}
	s := err.Error()
	if len(s) > 300 {
		return s[:300] + "…"
	}
	return s
}
