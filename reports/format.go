package reports

import (
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"
)

var zeroTime time.Time

// fmtMS formats milliseconds as people read them: "850ms", "2.4s", "1m05s".
func fmtMS(v float64) string {
	switch {
	case math.IsNaN(v):
		return "n/a"
	case v == 0:
		return "0ms"
	case math.Abs(v) < 1:
		return strconv.FormatFloat(v, 'f', 2, 64) + "ms"
	case math.Abs(v) < 1000:
		return strconv.FormatFloat(v, 'f', 0, 64) + "ms"
	case math.Abs(v) < 60000:
		return strconv.FormatFloat(v/1000, 'f', 2, 64) + "s"
	}
	m := int(v / 60000)
	return fmt.Sprintf("%dm%02.0fs", m, (v-float64(m)*60000)/1000)
}

// fmtMeasure formats a ttf/failback value with its state.
func fmtMeasure(v *float64, st MeasureState) string {
	switch st {
	case StateNever:
		return "never"
	case StateNone, "":
		return "n/a"
	}
	if v == nil {
		return "n/a"
	}
	return fmtMS(*v)
}

// fmtRatio formats an availability-like ratio as a percentage with two decimals.
func fmtPct(f Float) string {
	if !f.Valid() {
		return "n/a"
	}
	return strconv.FormatFloat(float64(f)*100, 'f', 2, 64) + "%"
}

// fmtAmp formats an amplification factor: "1.00×".
func fmtAmp(f Float) string {
	if !f.Valid() {
		return "n/a"
	}
	return strconv.FormatFloat(float64(f), 'f', 2, 64) + "×"
}

// fmtCounts formats a count map as "primary 40, secondary 12", sorted by name.
func fmtCounts(m map[string]int) string {
	if len(m) == 0 {
		return "–"
	}
	parts := make([]string, 0, len(m))
	for _, k := range sortedKeys(m) {
		name := k
		if name == "" {
			name = "(unknown)"
		}
		parts = append(parts, fmt.Sprintf("%s %d", name, m[k]))
	}
	return strings.Join(parts, ", ")
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// slosBreachedFirst returns the SLOs with the breached ones first, each group in order.
func slosBreachedFirst(s []SLO) []SLO {
	out := make([]SLO, 0, len(s))
	for _, x := range s {
		if !x.Pass {
			out = append(out, x)
		}
	}
	for _, x := range s {
		if x.Pass {
			out = append(out, x)
		}
	}
	return out
}

// keyAvailability formats the worst availability during faults with its phase.
func keyAvailability(r *Report) string {
	a, phase, ok := r.FaultAvailability()
	if !ok {
		return "n/a"
	}
	return fmtPct(Float(a)) + " (" + phase + samplesSuffix(r, phase) + ")"
}

// samplesSuffix is ", n=120" for the phase of r named phase ("" when it has none).
func samplesSuffix(r *Report, phase string) string {
	p, ok := r.phaseNamed(phase)
	if !ok {
		return ""
	}
	return ", n=" + strconv.Itoa(p.Requests)
}

// fmt formats one of p's values, or "–" when p is empty.
func (p Percentiles) fmt(v float64) string {
	if p.N == 0 {
		return "–"
	}
	return fmtMS(v)
}
