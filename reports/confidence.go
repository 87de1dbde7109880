package reports

import (
	"strconv"
)

// fmtSamples is what the reports print beside a ratio: its sample count and its 95%
// Wilson interval, "n=120, 95% CI 92.93%–99.07%"; "n=0" with no sample.
func fmtSamples(n int, ci *Interval) string {
	t := "n=" + strconv.Itoa(n)
	if n > 0 && ci != nil {
		t += ", 95% CI " + fmtPct(ci.Low) + "–" + fmtPct(ci.High)
	}
	return t
}

// samplesText is a phase's availability sample count and interval.
func (p Phase) samplesText() string { return fmtSamples(p.Requests, p.AvailabilityInterval) }

// samplesText is a ratio SLO's sample count and interval; "–" for other metrics.
func (s SLO) samplesText() string {
	if s.N == 0 {
		return "–"
	}
	return fmtSamples(s.N, s.Interval)
}

// wholeRunName labels Metrics.Run in the phase tables.
const wholeRunName = "(whole run)"

// phaseRows are the report's phases, then the whole run (Metrics.Run) when the run has
// one, labelled wholeRunName: the rows of the phase tables.
func phaseRows(r *Report) []Phase {
	rows := append([]Phase(nil), r.Phases...)
	if r.Metrics.Run != nil && len(r.Phases) > 1 {
		run := *r.Metrics.Run
		run.Name = wholeRunName
		rows = append(rows, run)
	}
	return rows
}

// phaseNamed is the report's phase called name.
func (r *Report) phaseNamed(name string) (Phase, bool) {
	for _, p := range r.Phases {
		if p.Name == name {
			return p, true
		}
	}
	return Phase{}, false
}
