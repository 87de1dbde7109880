package reports

import (
	"bufio"
	_ "embed"
	"fmt"
	"html/template"
	"io"
	"strconv"
)

//go:embed html.tmpl
var htmlSource string

// htmlTemplate is parsed once per Render; html/template escapes every untrusted string
// (log lines, error messages, details) for its context.
func htmlTemplate() (*template.Template, error) {
	return template.New("report").Funcs(template.FuncMap{
		"ms":       fmtMS,
		"pct":      fmtPct,
		"amp":      fmtAmp,
		"measure":  fmtMeasure,
		"counts":   fmtCounts,
		"fails":    fmtFailures,
		"keyAvail": keyAvailability,
		"faultAvail": func(r *Report) [2]string {
			a, phase, ok := r.FaultAvailability()
			if !ok {
				return [2]string{"n/a", ""}
			}
			return [2]string{fmtPct(Float(a)), "(" + phase + samplesSuffix(r, phase) + ")"}
		},
		"pctl":        func(p Percentiles, v float64) string { return p.fmt(v) },
		"breached":    breachedItems,
		"decision":    (*Repeats).decisionText,
		"passedRuns":  (*Repeats).passedText,
		"runVerdicts": (*Repeats).verdictsText,
		"spread":      RepeatSLO.spreadText,
		"sloSamples":  SLO.samplesText,
		"samples":     Phase.samplesText,
		"phaseRows":   phaseRows,
		"ciOf":        fmtSamples,
	}).Parse(htmlSource)
}

// HTML renders a set of reports as one self-contained HTML page: nothing is loaded from
// the network (inline CSS, SVG charts drawn in Go, no script). It opens with a verdict
// table linking to one section per scenario (failed first): a verdict banner, charts of
// success rate, p99 latency and the served-by split over time with phases shaded and
// faults marked, the SLO table (breached first, with reasons), faults, phases, failed
// requests, the timeline's events and the app's log tail.
type HTML struct {
	// Title heads the page; "llmchaos resilience report" when empty.
	Title string
	// Redactor cleans every string before it is rendered (Clean); nil is DefaultRedactor().
	Redactor *Redactor
}

type htmlPage struct {
	Title     string
	Generated string
	Sum       *Summary
	AllPass   bool
	Scenarios []htmlScenario
}

type htmlScenario struct {
	R      *Report
	ID     string
	SLOs   []SLO
	Charts []chart
}

// Render writes the HTML page.
func (h HTML) Render(w io.Writer, reps []*Report, sum *Summary) error {
	reps, sum = Clean(reps, h.Redactor), cleanSummary(sum, h.Redactor)
	sum = summaryOf(reps, sum)
	t, err := htmlTemplate()
	if err != nil {
		return fmt.Errorf("parse HTML template: %w", err)
	}
	page := htmlPage{Title: h.Title, Sum: sum, AllPass: sum.Passed()}
	if page.Title == "" {
		page.Title = "llmchaos resilience report"
	}
	if !sum.GeneratedAt.IsZero() {
		page.Generated = sum.GeneratedAt.Format("2006-01-02 15:04:05 MST")
	}
	for i, r := range failedFirst(reps) {
		sc := htmlScenario{R: r, ID: "s" + strconv.Itoa(i+1) + "-" + Slug(r.Scenario), SLOs: slosBreachedFirst(r.SLOs)}
		if len(r.Series) > 0 {
			sc.Charts = []chart{successChart(r), latencyChart(r), servedByChart(r)}
		}
		page.Scenarios = append(page.Scenarios, sc)
	}
	bw := bufio.NewWriter(w)
	if err := t.Execute(bw, page); err != nil {
		return fmt.Errorf("render HTML report: %w", err)
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write HTML report: %w", err)
	}
	return nil
}
