package reports

import (
	"encoding/xml"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// JUnit renders a set of reports as JUnit XML: one <testsuite> per scenario, one
// <testcase> per SLO (name = the expression, classname = the scenario) with a <failure>
// holding the observed value and reason when it was breached, the key metrics as
// <properties>, and the app's log tail in <system-out>. An interrupted run adds a
// testcase "run completed" with an <error>.
type JUnit struct {
	// Redactor cleans every string before it is rendered (Clean); nil is DefaultRedactor().
	Redactor *Redactor
}

type junitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Name     string       `xml:"name,attr"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Errors   int          `xml:"errors,attr"`
	Time     string       `xml:"time,attr"`
	Suites   []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name       string          `xml:"name,attr"`
	Tests      int             `xml:"tests,attr"`
	Failures   int             `xml:"failures,attr"`
	Errors     int             `xml:"errors,attr"`
	Skipped    int             `xml:"skipped,attr"`
	Time       string          `xml:"time,attr"`
	Timestamp  string          `xml:"timestamp,attr,omitempty"`
	Properties []junitProperty `xml:"properties>property"`
	Cases      []junitCase     `xml:"testcase"`
	SystemOut  string          `xml:"system-out,omitempty"`
}

type junitProperty struct {
	Name  string `xml:"name,attr"`
	Value string `xml:"value,attr"`
}

type junitCase struct {
	Name      string        `xml:"name,attr"`
	Classname string        `xml:"classname,attr"`
	Time      string        `xml:"time,attr"`
	Failure   *junitProblem `xml:"failure,omitempty"`
	Error     *junitProblem `xml:"error,omitempty"`
}

type junitProblem struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	Text    string `xml:",chardata"`
}

// Render writes the JUnit XML document.
func (j JUnit) Render(w io.Writer, reps []*Report, _ *Summary) error {
	reps = Clean(reps, j.Redactor)
	doc := junitSuites{Name: "llmchaos"}
	var total float64
	for _, r := range reps {
		s := junitSuite{
			Name: r.Scenario, Time: secs(r.DurationMS), Properties: junitProps(r),
			SystemOut: strings.Join(r.SUTLog, "\n"),
		}
		if !r.StartedAt.IsZero() {
			s.Timestamp = r.StartedAt.Format("2006-01-02T15:04:05")
		}
		for i, o := range r.SLOs {
			c := junitCase{Name: o.Expr, Classname: r.Scenario, Time: "0"}
			if !o.Pass {
				msg := "observed " + o.Observed
				if o.Reason != "" {
					msg += ": " + o.Reason
				}
				text := fmt.Sprintf("SLO %s breached in scenario %s\nobserved: %s\nreason: %s", o.Expr, r.Scenario, o.Observed, o.Reason)
				if rp := r.Repeats; rp != nil && i < len(rp.SLOs) {
					text += fmt.Sprintf("\nruns: %s (%s decides; run %d shown)", rp.SLOs[i].heldText(), rp.decisionText(), rp.ShownRun)
				}
				c.Failure = &junitProblem{Message: msg, Type: "SLOBreached", Text: text}
				s.Failures++
			}
			s.Cases = append(s.Cases, c)
		}
		switch {
		case r.RunError != "":
			s.Cases = append(s.Cases, junitCase{Name: "run completed", Classname: r.Scenario, Time: "0",
				Error: &junitProblem{Message: r.RunError, Type: "CouldNotRun"}})
			s.Errors++
		case r.Interrupted:
			s.Cases = append(s.Cases, junitCase{Name: "run completed", Classname: r.Scenario, Time: "0",
				Error: &junitProblem{Message: "the run was interrupted before its timeline ended", Type: "Interrupted"}})
			s.Errors++
		}
		if len(s.Cases) == 0 {
			c := junitCase{Name: "verdict", Classname: r.Scenario, Time: "0"}
			if !r.Passed() {
				c.Failure = &junitProblem{Message: "verdict " + string(r.Verdict), Type: "Verdict"}
				s.Failures++
			}
			s.Cases = append(s.Cases, c)
		}
		s.Tests = len(s.Cases)
		doc.Tests += s.Tests
		doc.Failures += s.Failures
		doc.Errors += s.Errors
		total += r.DurationMS
		doc.Suites = append(doc.Suites, s)
	}
	doc.Time = secs(total)
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return fmt.Errorf("write JUnit report: %w", err)
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return fmt.Errorf("write JUnit report: %w", err)
	}
	if _, err := io.WriteString(w, "\n"); err != nil {
		return fmt.Errorf("write JUnit report: %w", err)
	}
	return nil
}

func junitProps(r *Report) []junitProperty {
	m := r.Metrics
	props := []junitProperty{
		{"verdict", string(r.Verdict)},
		{"ttf", fmtMeasure(m.TTFMS, m.TTFState)},
		{"failback", fmtMeasure(m.FailbackMS, m.FailbackState)},
		{"amplification", fmtAmp(m.Amplification)},
		{"availability_during_faults", keyAvailability(r)},
		{"max_error_burst", strconv.Itoa(m.MaxErrorBurst.Count)},
		{"retry_after_violations", strconv.Itoa(m.RetryAfterViolations)},
		{"non_retryable_retries", strconv.Itoa(m.NonRetryableRetries)},
	}
	if r.Description != "" {
		props = append(props, junitProperty{"description", r.Description})
	}
	return props
}

func secs(msv float64) string { return strconv.FormatFloat(msv/1000, 'f', 3, 64) }
