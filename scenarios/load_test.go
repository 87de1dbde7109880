package scenarios

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const goodScenario = `name: tiny
description: a small valid scenario
upstreams:
  primary: {kind: openai}
sut:
  url: http://127.0.0.1:1
load:
  rate: 10/s
timeline:
  - {phase: steady, for: 1s}
  - {phase: outage, for: 2s, faults: [{upstream: primary, type: down}]}
slo:
  - availability(outage) >= 0.9
`

func TestParseGoodScenario(t *testing.T) {
	f, err := Parse("tiny.yaml", []byte(goodScenario))
	if err != nil {
		t.Fatal(err)
	}
	sc := f.Scenario
	if sc.Name != "tiny" || sc.Load.Rate != 10 || len(sc.Timeline.Phases) != 2 || sc.Timeline.Phases[1].Faults[0].Fault.Kind() != "down" {
		t.Fatalf("unexpected model: %+v", sc)
	}
}

// TestBadScenarioFiles: each kind of mistake gives one error naming the file, the line and the field.
func TestBadScenarioFiles(t *testing.T) {
	cases := []struct {
		name, from, to string
		line           int
		field, msg     string
	}{
		{"unknown field", "  rate: 10/s\n", "  rate: 10/s\n  rat: 3\n", 9, "load.rat", `unknown field "rat" in load`},
		{"bad duration", "for: 1s}", "for: 1 sec}", 10, "timeline[0].for", `"1 sec" is not a duration`},
		{"unknown upstream", "{upstream: primary, type: down}", "{upstream: primry, type: down}", 11, "timeline[1].faults[0].upstream", `"primry" is not a declared upstream`},
		{"bad slo", "availability(outage) >= 0.9", "availability(outage) >== 0.9", 13, "slo[0]", "bad SLO"},
		{"slo names a missing phase", "availability(outage) >= 0.9", "availability(outgae) >= 0.9", 13, "slo[0]", `phase "outgae"`},
		{"no phases", "timeline:\n  - {phase: steady, for: 1s}\n  - {phase: outage, for: 2s, faults: [{upstream: primary, type: down}]}\n", "timeline: []\n", 9, "timeline", "no phases"},
		{"missing command", "  url: http://127.0.0.1:1\n", "  command: [./no-such-app-here]\n", 6, "sut.command", "does not exist"},
		{"command not on PATH", "  url: http://127.0.0.1:1\n", "  command: [no-such-program-llmchaos]\n", 6, "sut.command", "not on PATH"},
		{"unknown fault type", "type: down}", "type: dwn}", 11, "timeline[1].faults[0].type", `unknown fault type "dwn"`},
		{"field the fault does not take", "type: down}", "type: down, latency: 1s}", 11, "timeline[1].faults[0].latency", `does not take latency`},
		{"bad rate", "rate: 10/s", "rate: ten", 8, "load.rate", `"ten" is not a rate`},
		{"unknown kind", "{kind: openai}", "{kind: openia}", 4, "upstreams.primary.kind", `unknown kind "openia"`},
		// the model's rules (harness.ValidateScenario) come with the file's lines too
		{"fault the kind does not play", "type: down}", "type: partial-success, reject_fraction: 0.5}", 11, "timeline[1].faults[0].type", "the openai mock does not play it"},
		{"unknown protocol", "  rate: 10/s\n", "  rate: 10/s\n  request: {protocol: grpc}\n", 9, "load.request.protocol", `unknown load request protocol "grpc"`},
		{"duplicate phase", "{phase: outage, for: 2s", "{phase: steady, for: 2s", 11, "timeline[1].phase", "appears twice"},
		{"negative answer words", "{kind: openai}", "{kind: openai, answer_words: -1}", 4, "upstreams.primary.answer_words", "negative"},
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
			if se.File != "bad.yaml" || se.Line != tc.line || se.Field != tc.field || !strings.Contains(se.Msg, tc.msg) {
				t.Fatalf("got file %q line %d field %q msg %q\nwant line %d field %q msg containing %q\n(%v)", se.File, se.Line, se.Field, se.Msg, tc.line, tc.field, tc.msg, err)
			}
			if !strings.HasPrefix(err.Error(), "bad.yaml:") {
				t.Fatalf("message does not start with file:line: %v", err)
			}
		})
	}
}

// TestFaultErrorsPointAtTheirLine: a fault written as a block gets the line of the field
// the registry names, nested modifier fields included.
func TestFaultErrorsPointAtTheirLine(t *testing.T) {
	const base = `name: lines
upstreams:
  primary: {kind: openai}
sut:
  url: http://127.0.0.1:1
load:
  rate: 10/s
timeline:
  - phase: outage
    for: 2s
    faults:
      - upstream: primary
        type: latency
        latency: 500ms
        flap:
          period: 4s
slo:
  - availability >= 0.9
`
	if _, err := Parse("lines.yaml", []byte(base)); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		from, to   string
		line       int
		field, msg string
	}{
		{"latency: 500ms", "latency: -1s", 14, "timeline[0].faults[0].latency", "not positive"},
		{"period: 4s", "period: 0s", 16, "timeline[0].faults[0].flap.period", "positive period"},
		{"period: 4s", "period: 4s\n          phase: 1", 17, "timeline[0].faults[0].flap.phase", "flap does not take phase"},
		{"latency: 500ms", "latency: 500ms\n        ramp: {to: 1}", 15, "timeline[0].faults[0].ramp", "network fault"},
		{"type: latency\n        latency: 500ms", "type: rate-limit\n        status: 500", 14, "timeline[0].faults[0].status", "does not take status"},
	}
	for _, c := range cases {
		src := strings.Replace(base, c.from, c.to, 1)
		_, err := Parse("lines.yaml", []byte(src))
		var se *Error
		if !errors.As(err, &se) || se.Line != c.line || se.Field != c.field || !strings.Contains(se.Msg, c.msg) {
			t.Errorf("%s -> %s: got %v\nwant line %d field %s msg containing %q", c.from, c.to, err, c.line, c.field, c.msg)
		}
	}
}

func TestLoadDirLoadsTheCatalog(t *testing.T) {
	files, err := LoadDir(".")
	if err != nil {
		t.Fatal(err)
	}
	if len(files) < 17 {
		t.Fatalf("catalog has %d files, want at least 17", len(files))
	}
	for _, f := range files {
		if f.Scenario.Description == "" || len(f.Scenario.SLOs) == 0 {
			t.Errorf("%s: needs a description and SLOs", f.Path)
		}
		for _, app := range []string{"gateway", "naive"} {
			if _, ok := f.Expect[app]; !ok {
				t.Errorf("%s: no expectation for %s", f.Path, app)
			}
		}
		if strings.HasPrefix(f.Scenario.Name, "incident-") && len(f.References) == 0 {
			t.Errorf("%s: an incident replay must cite its source", f.Path)
		}
	}
}

func TestLoadPathsReportsMissingFile(t *testing.T) {
	_, err := LoadPaths(filepath.Join(t.TempDir(), "nope.yaml"))
	var se *Error
	if !errors.As(err, &se) || !strings.Contains(err.Error(), "nope.yaml") {
		t.Fatalf("got %v", err)
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "empty.yaml"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadDir(dir); err == nil || !strings.Contains(err.Error(), "empty") {
		t.Fatalf("empty file: got %v", err)
	}
}
