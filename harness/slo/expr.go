package slo

import (
	"fmt"
	"sort"
	"strings"
	"time"
)

// Unit is what an SLO's metric measures, and so what its value must be written as.
type Unit int

// The units.
const (
	// UnitDuration values are written with a unit: 2s, 1500ms.
	UnitDuration Unit = iota + 1
	// UnitRatio values are a number in [0, 1] or a percentage: 0.99, 99%.
	UnitRatio
	// UnitNumber values are a plain number: 2, 1.5.
	UnitNumber
	// UnitFlag values are 0 or 1.
	UnitFlag
)

// String names the unit for messages.
func (u Unit) String() string {
	switch u {
	case UnitDuration:
		return "a duration"
	case UnitRatio:
		return "a ratio"
	case UnitNumber:
		return "a number"
	case UnitFlag:
		return "a flag (0 or 1)"
	}
	return "unknown"
}

// Op is an SLO's comparison.
type Op string

// The operators.
const (
	OpLess      Op = "<"
	OpLessEq    Op = "<="
	OpGreater   Op = ">"
	OpGreaterEq Op = ">="
	OpEqual     Op = "=="
)

// ops lists the operators as messages show them.
const ops = "<, <=, >, >=, =="

// holds reports whether observed OP threshold is true.
func (o Op) holds(observed, threshold float64) bool {
	const eps = 1e-12
	switch o {
	case OpLess:
		return observed < threshold-eps
	case OpLessEq:
		return observed <= threshold+eps
	case OpGreater:
		return observed > threshold+eps
	case OpGreaterEq:
		return observed >= threshold-eps
	case OpEqual:
		return observed >= threshold-eps && observed <= threshold+eps
	}
	return false
}

// The metric names of the SLO grammar (see the package doc).
const (
	MetricTTF                   = "ttf"
	MetricFailback              = "failback"
	MetricAvailability          = "availability"
	MetricLatency               = "latency" // written p50|p90|p95|p99|max(latency[, PHASE])
	MetricTTFT                  = "ttft"    // written p50|p90|p95|p99|max(ttft[, PHASE])
	MetricAmplification         = "amplification"
	MetricRetryAfterViolations  = "retry_after_violations"
	MetricMaxErrorBurst         = "max_error_burst"
	MetricMaxErrorBurstDuration = "max_error_burst_duration"
	MetricTelemetryLatencyRatio = "telemetry_latency_ratio"
	MetricTelemetryAvailability = "telemetry_availability"
	MetricTelemetryResumed      = "telemetry_resumed"
	MetricSilentTruncations     = "silent_truncations"
	MetricNonRetryableRetries   = "non_retryable_retries"
)

// metricDef says how a metric is written and what it measures.
type metricDef struct {
	unit Unit
	// phased metrics take an optional (PHASE).
	phased bool
}

var metricDefs = map[string]metricDef{
	MetricTTF:                   {unit: UnitDuration},
	MetricFailback:              {unit: UnitDuration},
	MetricAvailability:          {unit: UnitRatio, phased: true},
	MetricLatency:               {unit: UnitDuration, phased: true},
	MetricTTFT:                  {unit: UnitDuration, phased: true},
	MetricAmplification:         {unit: UnitNumber, phased: true},
	MetricRetryAfterViolations:  {unit: UnitNumber},
	MetricMaxErrorBurst:         {unit: UnitNumber},
	MetricMaxErrorBurstDuration: {unit: UnitDuration},
	MetricTelemetryLatencyRatio: {unit: UnitNumber},
	MetricTelemetryAvailability: {unit: UnitRatio},
	MetricTelemetryResumed:      {unit: UnitFlag},
	MetricSilentTruncations:     {unit: UnitNumber, phased: true},
	MetricNonRetryableRetries:   {unit: UnitNumber},
}

// percentileNames are the percentile functions of latency and ttft.
var percentileNames = map[string]float64{"p50": 50, "p90": 90, "p95": 95, "p99": 99, "max": 100}

// metricList is the metrics as messages list them.
func metricList() string {
	var names []string
	for n := range metricDefs {
		if n == MetricLatency || n == MetricTTFT {
			continue
		}
		if metricDefs[n].phased {
			n += "[(PHASE)]"
		}
		names = append(names, n)
	}
	sort.Strings(names)
	return strings.Join(append(names, "p50|p90|p95|p99|max(latency|ttft[, PHASE])"), ", ")
}

// SLO is one parsed objective: METRIC OP VALUE.
type SLO struct {
	// Expr is the expression as written.
	Expr string
	// Metric is one of the Metric* names; percentiles have MetricLatency or MetricTTFT.
	Metric string
	// Percentile is 50, 90, 95, 99 or 100 (max) for latency and ttft; any p in (0, 100]
	// when built in Go.
	Percentile float64
	// Phase restricts a phased metric to one phase; "" means the whole run.
	Phase string
	Op    Op
	// Threshold is the value in the metric's unit: a ratio for percentages, seconds
	// for durations (Duration holds it exactly).
	Threshold float64
	Duration  time.Duration
}

// Unit is what the SLO's metric measures.
func (s SLO) Unit() Unit { return metricDefs[s.Metric].unit }

// Phases lists the phases the SLO names (none, or one), so a loader can check them
// against the scenario's timeline before running.
func (s SLO) Phases() []string {
	if s.Phase == "" {
		return nil
	}
	return []string{s.Phase}
}

// String is the expression as written, or a canonical form for an SLO built in Go.
func (s SLO) String() string {
	if s.Expr != "" {
		return s.Expr
	}
	return s.canonical()
}

func (s SLO) canonical() string {
	lhs := s.Metric
	switch {
	case s.Metric == MetricLatency || s.Metric == MetricTTFT:
		fn := fmt.Sprintf("p%g", s.Percentile)
		if s.Percentile == 100 {
			fn = "max"
		}
		args := s.Metric
		if s.Phase != "" {
			args += ", " + s.Phase
		}
		lhs = fmt.Sprintf("%s(%s)", fn, args)
	case s.Phase != "":
		lhs = fmt.Sprintf("%s(%s)", s.Metric, s.Phase)
	}
	var v string
	if s.Unit() == UnitDuration {
		v = s.Duration.String()
	} else {
		v = fmt.Sprintf("%g", s.Threshold)
	}
	return fmt.Sprintf("%s %s %s", lhs, s.Op, v)
}

// name is the metric as people read it: "p99 latency in outage", "availability".
func (s SLO) name() string {
	n := s.Metric
	if s.Metric == MetricLatency || s.Metric == MetricTTFT {
		n = fmt.Sprintf("p%g %s", s.Percentile, s.Metric)
		if s.Percentile == 100 {
			n = "max " + s.Metric
		}
	}
	if s.Phase != "" {
		n += " in " + s.Phase
	}
	return n
}
