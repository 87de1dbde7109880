package slo_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/llmchaos/llmchaos/harness/slo"
)

// FuzzParse: any text either parses as an SLO or is an error wrapping slo.ErrSLO, never a
// panic; a parsed SLO's canonical form (what an SLO built in Go prints) parses back to
// the same objective. The seeds are every SLO of the scenario catalog and a few broken
// ones; go test runs them as a normal test (make test), go test -fuzz FuzzParse explores.
func FuzzParse(f *testing.F) {
	for _, s := range catalogSLOs(f) {
		f.Add(s)
	}
	for _, s := range []string{"", "ttf", "ttf <=", "<= 2s", "p99(latency, outage) <= 1500ms", "p99.9(ttft) < 1s",
		"max(latency) <= 2s", "availability(a(b)) >= 0.9", "availability >= 99%", "amplification(outage) <= 1e309",
		"ttf <= -1s", "ttf <= 9999999999h", "availability >== 0.9", "p0(latency) <= 1s", "p100(latency) <= 1s",
		"telemetry_resumed == 1", "silent_truncations(\x1b[2J) == 0", "availability >= NaN"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, expr string) {
		got, err := slo.Parse(expr)
		if err != nil {
			if !errors.Is(err, slo.ErrSLO) {
				t.Fatalf("Parse(%q): error %v does not wrap ErrSLO", expr, err)
			}
			return
		}
		canon := got
		canon.Expr = ""
		again, err := slo.Parse(canon.String())
		if err != nil {
			t.Fatalf("Parse(%q) = %+v, whose canonical form %q does not parse: %v", expr, got, canon.String(), err)
		}
		again.Expr = ""
		if again != canon {
			t.Fatalf("Parse(%q) = %+v; its canonical form %q parses to %+v", expr, canon, canon.String(), again)
		}
	})
}

// catalogSLOs reads the slo lines of every scenario in the catalog.
func catalogSLOs(tb testing.TB) []string {
	tb.Helper()
	paths, err := filepath.Glob(filepath.Join("..", "..", "scenarios", "*.yaml"))
	if err != nil || len(paths) == 0 {
		tb.Fatalf("no catalog scenarios: %v", err)
	}
	var out []string
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			tb.Fatal(err)
		}
		var doc struct {
			SLO []string `yaml:"slo"`
		}
		if err := yaml.Unmarshal(b, &doc); err != nil {
			tb.Fatalf("%s: %v", p, err)
		}
		out = append(out, doc.SLO...)
	}
	if len(out) == 0 || !strings.Contains(strings.Join(out, "\n"), "ttf") {
		tb.Fatalf("the catalog's SLOs were not found: %q", out)
	}
	return out
}
