package scenarios

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/llmchaos/llmchaos/harness"
	"github.com/llmchaos/llmchaos/harness/slo"
)

// FuzzParse: any bytes either load as a scenario the model accepts (harness.ValidateScenario
// agrees with the loader, every SLO parses) or give one *Error naming the file, with a
// line that exists and a bounded message; never a panic, a hang or an unbounded
// allocation. The seeds are the catalog's files and the bad inputs of issue 14; go test
// runs them as a normal test (make test), go test -fuzz FuzzParse explores.
func FuzzParse(f *testing.F) {
	paths, err := filepath.Glob("*.yaml")
	if err != nil || len(paths) == 0 {
		f.Fatalf("no catalog files: %v", err)
	}
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	for _, edit := range [][2]string{
		{"rate: 10/s", "rate: NaN/s"}, {"rate: 10/s", "rate: 1e9/s"}, {"for: 1s", "for: 2562047h"},
		{"  url: http://127.0.0.1:1\n", "  url: \"{{ range 100000000000 }}x{{ end }}\"\n"},
		{"  url: http://127.0.0.1:1\n", "  url: \"{{ call .Nope }}\"\n"},
		{"timeline:\n", "replay: {real: 1ns, played: 1000h}\ntimeline:\n"},
		{"description: a small valid scenario\n", "references: [&x a]\nseed: *x\n"},
		{"{kind: openai}", "{kind: openai, answer_words: 1000000000}"},
		{"- availability(outage) >= 0.9", "- availability(outage) >= 0.9" + strings.Repeat("x", 5000)},
	} {
		f.Add([]byte(strings.Replace(goodScenario, edit[0], edit[1], 1)))
	}
	f.Add([]byte("a: &a [*a, *a]\nb: *a\n"))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, data []byte) {
		file, err := Parse("fuzz.yaml", data)
		if err != nil {
			var se *Error
			if !errors.As(err, &se) || se.File != "fuzz.yaml" || !strings.HasPrefix(err.Error(), "fuzz.yaml") {
				t.Fatalf("error %T %v: want an *Error naming the file", err, err)
			}
			if lines := yamlLines(data); se.Line < 0 || se.Line > lines {
				t.Fatalf("error on line %d of a %d-line file: %v", se.Line, lines, err)
			}
			if n := len(err.Error()); n > 2*maxMessageBytes+len(se.Field) {
				t.Fatalf("a %d-byte error message: %.300s", n, err)
			}
			return
		}
		if err := harness.ValidateScenario(file.Scenario); err != nil {
			t.Fatalf("the loader accepted what ValidateScenario refuses: %v", err)
		}
		for _, s := range file.Scenario.SLOs {
			if _, err := slo.Parse(s); err != nil {
				t.Fatalf("the loader accepted an SLO that does not parse: %v", err)
			}
		}
	})
}

// yamlLines counts the lines of data as YAML does: CR, LF, CRLF, NEL, LS and PS all break.
func yamlLines(data []byte) int {
	s := strings.ReplaceAll(string(data), "\r\n", "\n")
	n := 1
	for _, r := range s {
		switch r {
		case '\n', '\r', '\u0085', '\u2028', '\u2029':
			n++
		}
	}
	return n
}
