package slo_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/llmchaos/llmchaos/harness/slo"
)

func TestParseEveryForm(t *testing.T) {
	cases := []struct {
		expr string
		want slo.SLO
	}{
		{"ttf <= 2s", slo.SLO{Metric: "ttf", Op: "<=", Duration: 2 * time.Second, Threshold: 2}},
		{"ttf < 0", slo.SLO{Metric: "ttf", Op: "<"}},
		{"failback<1500ms", slo.SLO{Metric: "failback", Op: "<", Duration: 1500 * time.Millisecond, Threshold: 1.5}},
		{"availability >= 0.99", slo.SLO{Metric: "availability", Op: ">=", Threshold: 0.99}},
		{"availability(outage) >= 99%", slo.SLO{Metric: "availability", Phase: "outage", Op: ">=", Threshold: 0.99}},
		{"availability( steady-1 ) == 1", slo.SLO{Metric: "availability", Phase: "steady-1", Op: "==", Threshold: 1}},
		{"p50(latency) <= 100ms", slo.SLO{Metric: "latency", Percentile: 50, Op: "<=", Duration: 100 * time.Millisecond, Threshold: 0.1}},
		{"p90(ttft, outage) < 1s", slo.SLO{Metric: "ttft", Percentile: 90, Phase: "outage", Op: "<", Duration: time.Second, Threshold: 1}},
		{"p95(latency,recovery) <= 2s", slo.SLO{Metric: "latency", Percentile: 95, Phase: "recovery", Op: "<=", Duration: 2 * time.Second, Threshold: 2}},
		{"p99(latency, outage) <= 1500ms", slo.SLO{Metric: "latency", Percentile: 99, Phase: "outage", Op: "<=", Duration: 1500 * time.Millisecond, Threshold: 1.5}},
		{"max(ttft) <= 3s", slo.SLO{Metric: "ttft", Percentile: 100, Op: "<=", Duration: 3 * time.Second, Threshold: 3}},
		{"amplification <= 2", slo.SLO{Metric: "amplification", Op: "<=", Threshold: 2}},
		{"amplification(outage) > 1.5", slo.SLO{Metric: "amplification", Phase: "outage", Op: ">", Threshold: 1.5}},
		{"retry_after_violations == 0", slo.SLO{Metric: "retry_after_violations", Op: "=="}},
		{"max_error_burst <= 5", slo.SLO{Metric: "max_error_burst", Op: "<=", Threshold: 5}},
		{"max_error_burst_duration < 500ms", slo.SLO{Metric: "max_error_burst_duration", Op: "<", Duration: 500 * time.Millisecond, Threshold: 0.5}},
		{"telemetry_latency_ratio <= 1.2", slo.SLO{Metric: "telemetry_latency_ratio", Op: "<=", Threshold: 1.2}},
		{"telemetry_availability >= 99.9%", slo.SLO{Metric: "telemetry_availability", Op: ">=", Threshold: 0.999}},
		{"telemetry_resumed == 1", slo.SLO{Metric: "telemetry_resumed", Op: "==", Threshold: 1}},
	}
	for _, c := range cases {
		got, err := slo.Parse("  " + c.expr + " ")
		if err != nil {
			t.Errorf("Parse(%q): %v", c.expr, err)
			continue
		}
		c.want.Expr = c.expr
		if d := got.Threshold - c.want.Threshold; d > 1e-9 || d < -1e-9 {
			t.Errorf("Parse(%q) threshold = %v, want %v", c.expr, got.Threshold, c.want.Threshold)
		}
		got.Threshold = c.want.Threshold
		if got != c.want {
			t.Errorf("Parse(%q) = %+v, want %+v", c.expr, got, c.want)
		}
		if got.String() != c.expr {
			t.Errorf("String() = %q, want %q", got.String(), c.expr)
		}
		if wantPhases := c.want.Phase != ""; (len(got.Phases()) == 1) != wantPhases {
			t.Errorf("Phases() = %v", got.Phases())
		}
	}
}

func TestParseErrors(t *testing.T) {
	cases := []struct{ expr, want string }{
		{"", "empty expression"},
		{"ttf 2s", "no comparison operator; write METRIC OP VALUE with OP one of <, <=, >, >=, =="},
		{"ttf = 2s", `bad operator "="; use one of <, <=, >, >=, ==`},
		{"ttf => 2s", `bad operator "=>"`},
		{"ttf != 2s", `bad operator "!="`},
		{"ttf =< 2s", `bad operator "=<"`},
		{"<= 2s", "no metric before <="},
		{"ttf <=", "no value after <="},
		{"latencyy <= 2s", `unknown metric "latencyy"; metrics are: amplification[(PHASE)], availability[(PHASE)], failback,`},
		{"latency <= 2s", `unknown metric "latency" (a percentile of it: p99(latency[, PHASE]))`},
		{"p98(latency) <= 2s", `unknown metric "p98"`},
		{"ttf(outage) <= 2s", "ttf takes no argument"},
		{"availability(a, b) >= 0.9", "availability takes one phase"},
		{"p99 <= 2s", "p99 needs (latency|ttft[, PHASE]), e.g. p99(latency, outage)"},
		{"p99() <= 2s", "p99 needs (latency|ttft[, PHASE])"},
		{"p99(latency, a, b) <= 2s", "p99 needs"},
		{"p99(bytes) <= 2s", `unknown measure "bytes"; use latency or ttft`},
		{"p99(latency, out age) <= 2s", `bad phase name "out age"`},
		{"p99(latency,) <= 2s", "empty argument"},
		{"availability(outage >= 0.9", "unbalanced parentheses"},
		{"availability outage) >= 0.9", "unbalanced parentheses"},
		{"ttf <= 2", "ttf is a duration: write the value with a unit, e.g. 2s or 2ms"},
		{"p99(latency) <= 1.5", "p99 latency is a duration"},
		{"ttf <= 90%", "ttf is a duration: a percentage (99%) is allowed only for ratios"},
		{"ttf <= -2s", "ttf cannot be negative"},
		{"ttf <= soon", `bad value "soon"; write a duration (2s, 1500ms), a number (0.99) or a percentage (99%)`},
		{"availability >= 99", "availability is a ratio between 0 and 1: write e.g. 0.99 or 99%, not 99"},
		{"availability >= 2s", "availability is a ratio, not a duration: write e.g. 0.99 or 99%"},
		{"availability >= 120%", `bad percentage "120%"`},
		{"amplification <= 2s", "amplification is a number, not a duration: write e.g. 2 or 1.5"},
		{"amplification <= 200%", "amplification is a number: a percentage (99%) is allowed only for ratios"},
		{"amplification <= -1", "amplification is never negative"},
		{"telemetry_resumed == 2", "telemetry_resumed is a flag: compare it with 1 (yes) or 0 (no), not 2"},
		{"max_error_burst_duration <= 3", "max_error_burst_duration is a duration"},
	}
	for _, c := range cases {
		_, err := slo.Parse(c.expr)
		if err == nil {
			t.Errorf("Parse(%q) = nil error, want %q", c.expr, c.want)
			continue
		}
		if !errors.Is(err, slo.ErrSLO) {
			t.Errorf("Parse(%q) error %v does not wrap ErrSLO", c.expr, err)
		}
		if !strings.Contains(err.Error(), c.want) {
			t.Errorf("Parse(%q) error\n  %v\nwant it to contain\n  %s", c.expr, err, c.want)
		}
	}
}

func TestParseWithPhases(t *testing.T) {
	phases := []string{"steady", "outage", "recovery"}
	if _, err := slo.ParseWithPhases("availability(outage) >= 0.9", phases); err != nil {
		t.Fatal(err)
	}
	if _, err := slo.ParseWithPhases("ttf <= 2s", phases); err != nil {
		t.Fatal(err)
	}
	_, err := slo.ParseWithPhases("p99(latency, outtage) <= 1s", phases)
	if err == nil || !errors.Is(err, slo.ErrSLO) || !strings.Contains(err.Error(), `unknown phase "outtage"; the timeline's phases are: steady, outage, recovery`) {
		t.Fatalf("err = %v", err)
	}
	if _, err := slo.ParseWithPhases("ttf <== 2s", phases); err == nil {
		t.Fatal("bad operator accepted")
	}
}

func TestParseAllJoinsErrors(t *testing.T) {
	_, err := slo.ParseAll([]string{"ttf <= 2s", "ttf <= 2", "nope > 1"})
	if err == nil || !strings.Contains(err.Error(), "ttf is a duration") || !strings.Contains(err.Error(), `unknown metric "nope"`) {
		t.Fatalf("err = %v", err)
	}
}
