package slo

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// ErrSLO is wrapped by every parse error, so callers can tell a bad SLO from other failures.
var ErrSLO = errors.New("bad SLO")

// Parse reads one SLO expression, METRIC OP VALUE (grammar in the package doc). Errors
// wrap ErrSLO and say what is allowed. Phase names are not checked here: use
// ParseWithPhases, or Evaluate reports an unknown phase as a failed check.
func Parse(s string) (SLO, error) {
	slo, err := parse(s)
	if err != nil {
		return SLO{}, fmt.Errorf("%w %q: %s", ErrSLO, strings.TrimSpace(s), err.Error())
	}
	return slo, nil
}

// ParseWithPhases is Parse that also checks the phase the SLO names against phases
// (a scenario's timeline).
func ParseWithPhases(s string, phases []string) (SLO, error) {
	slo, err := Parse(s)
	if err != nil {
		return SLO{}, err
	}
	if err := checkPhases(slo, phases); err != nil {
		return SLO{}, fmt.Errorf("%w %q: %w", ErrSLO, slo.Expr, err)
	}
	return slo, nil
}

// checkPhases fails when slo names a phase not in phases.
func checkPhases(slo SLO, phases []string) error {
	for _, p := range slo.Phases() {
		found := false
		for _, q := range phases {
			found = found || p == q
		}
		if !found {
			return fmt.Errorf("unknown phase %q; the timeline's phases are: %s", p, strings.Join(phases, ", "))
		}
	}
	return nil
}

func parse(s string) (SLO, error) {
	expr := strings.TrimSpace(s)
	if expr == "" {
		return SLO{}, errors.New("empty expression; write METRIC OP VALUE, e.g. ttf <= 2s")
	}
	lhs, op, rhs, err := splitOp(expr)
	if err != nil {
		return SLO{}, err
	}
	slo := SLO{Expr: expr, Op: op}
	if err := parseMetric(lhs, &slo); err != nil {
		return SLO{}, err
	}
	if err := parseValue(rhs, &slo); err != nil {
		return SLO{}, err
	}
	return slo, nil
}

// splitOp finds the operator outside parentheses: the first run of <, >, =, ! characters.
func splitOp(expr string) (lhs string, op Op, rhs string, err error) {
	depth := 0
	for i := 0; i < len(expr); i++ {
		switch c := expr[i]; c {
		case '(':
			depth++
		case ')':
			depth--
			if depth < 0 {
				return "", "", "", errors.New("unbalanced parentheses")
			}
		case '<', '>', '=', '!':
			if depth != 0 {
				return "", "", "", errors.New("unbalanced parentheses")
			}
			j := i
			for j < len(expr) && strings.ContainsRune("<>=!", rune(expr[j])) {
				j++
			}
			op = Op(expr[i:j])
			switch op {
			case OpLess, OpLessEq, OpGreater, OpGreaterEq, OpEqual:
			default:
				return "", "", "", fmt.Errorf("bad operator %q; use one of %s", op, ops)
			}
			lhs, rhs = strings.TrimSpace(expr[:i]), strings.TrimSpace(expr[j:])
			if lhs == "" {
				return "", "", "", fmt.Errorf("no metric before %s; metrics are: %s", op, metricList())
			}
			if rhs == "" {
				return "", "", "", fmt.Errorf("no value after %s; write a duration (2s), a number (0.99) or a percentage (99%%)", op)
			}
			return lhs, op, rhs, nil
		}
	}
	return "", "", "", fmt.Errorf("no comparison operator; write METRIC OP VALUE with OP one of %s", ops)
}

// parseMetric reads NAME or NAME(ARGS) into slo.
func parseMetric(lhs string, slo *SLO) error {
	name, args, hasArgs, err := splitCall(lhs)
	if err != nil {
		return err
	}
	if p, ok := percentileNames[name]; ok {
		if !hasArgs || len(args) == 0 || len(args) > 2 {
			return fmt.Errorf("%s needs (latency|ttft[, PHASE]), e.g. %s(latency, outage)", name, name)
		}
		if args[0] != MetricLatency && args[0] != MetricTTFT {
			return fmt.Errorf("%s(%s): unknown measure %q; use latency or ttft", name, args[0], args[0])
		}
		slo.Metric, slo.Percentile = args[0], p
		if len(args) == 2 {
			slo.Phase = args[1]
		}
		return checkPhaseName(slo.Phase)
	}
	def, ok := metricDefs[name]
	if !ok || name == MetricLatency || name == MetricTTFT {
		hint := ""
		if name == MetricLatency || name == MetricTTFT {
			hint = fmt.Sprintf(" (a percentile of it: p99(%s[, PHASE]))", name)
		}
		return fmt.Errorf("unknown metric %q%s; metrics are: %s", name, hint, metricList())
	}
	slo.Metric = name
	if !hasArgs {
		return nil
	}
	if !def.phased {
		return fmt.Errorf("%s takes no argument; write it bare, e.g. %s", name, (SLO{Metric: name, Op: OpLessEq, Duration: 2 * time.Second, Threshold: 2}).canonical())
	}
	if len(args) != 1 {
		return fmt.Errorf("%s takes one phase: %s(PHASE), or no argument for the whole run", name, name)
	}
	slo.Phase = args[0]
	return checkPhaseName(slo.Phase)
}

// splitCall splits "name(a, b)" into name and its arguments.
func splitCall(s string) (name string, args []string, hasArgs bool, err error) {
	open := strings.IndexByte(s, '(')
	if open < 0 {
		if strings.ContainsAny(s, ") ,") {
			return "", nil, false, fmt.Errorf("cannot read metric %q; metrics are: %s", s, metricList())
		}
		return s, nil, false, nil
	}
	if !strings.HasSuffix(s, ")") || strings.Count(s, "(") != 1 || strings.Count(s, ")") != 1 {
		return "", nil, false, errors.New("unbalanced parentheses")
	}
	name = strings.TrimSpace(s[:open])
	inner := strings.TrimSpace(s[open+1 : len(s)-1])
	if inner != "" {
		for _, a := range strings.Split(inner, ",") {
			a = strings.TrimSpace(a)
			if a == "" {
				return "", nil, false, fmt.Errorf("empty argument in %q", s)
			}
			args = append(args, a)
		}
	}
	return name, args, true, nil
}

// checkPhaseName accepts letters, digits, _, - and . in a phase name.
func checkPhaseName(p string) error {
	for _, r := range p {
		if !(r == '_' || r == '-' || r == '.' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z') {
			return fmt.Errorf("bad phase name %q: use only letters, digits, '_', '-' and '.'", p)
		}
	}
	return nil
}

// parseValue reads the value and checks it against the metric's unit.
func parseValue(v string, slo *SLO) error {
	unit := slo.Unit()
	name := slo.name()
	if strings.HasSuffix(v, "%") {
		if unit != UnitRatio {
			return fmt.Errorf("%s is %s: a percentage (99%%) is allowed only for ratios (availability, telemetry_availability)", name, unit)
		}
		f, err := strconv.ParseFloat(strings.TrimSpace(strings.TrimSuffix(v, "%")), 64)
		if err != nil || f < 0 || f > 100 || math.IsNaN(f) {
			return fmt.Errorf("bad percentage %q; write 0%% to 100%%, e.g. 99.5%%", v)
		}
		slo.Threshold = f / 100
		return nil
	}
	if f, err := strconv.ParseFloat(v, 64); err == nil && !math.IsNaN(f) && !math.IsInf(f, 0) {
		switch unit {
		case UnitDuration:
			if f != 0 {
				return fmt.Errorf("%s is a duration: write the value with a unit, e.g. %gs or %gms", name, f, f)
			}
			return nil
		case UnitRatio:
			if f < 0 || f > 1 {
				return fmt.Errorf("%s is a ratio between 0 and 1: write e.g. 0.99 or 99%%, not %s", name, v)
			}
		case UnitFlag:
			if f != 0 && f != 1 {
				return fmt.Errorf("%s is a flag: compare it with 1 (yes) or 0 (no), not %s", name, v)
			}
		case UnitNumber:
			if f < 0 {
				return fmt.Errorf("%s is never negative: %s cannot be a threshold", name, v)
			}
		}
		slo.Threshold = f
		return nil
	}
	d, err := time.ParseDuration(v)
	if err != nil {
		return fmt.Errorf("bad value %q; write a duration (2s, 1500ms), a number (0.99) or a percentage (99%%)", v)
	}
	if unit != UnitDuration {
		return fmt.Errorf("%s is %s, not a duration: write e.g. %s", name, unit, example(unit))
	}
	if d < 0 {
		return fmt.Errorf("%s cannot be negative: %s", name, v)
	}
	slo.Duration, slo.Threshold = d, d.Seconds()
	return nil
}

func example(u Unit) string {
	switch u {
	case UnitRatio:
		return "0.99 or 99%"
	case UnitFlag:
		return "1"
	}
	return "2 or 1.5"
}
