package reports

import (
	"bufio"
	"fmt"
	"html"
	"strings"
)

// scenario writes one scenario's section: its header (verdict, headline metrics, why it
// could not run), then the SLOs, faults, phases, failed requests and app log that apply.
func (Markdown) scenario(bw *bufio.Writer, r *Report, logLines int) {
	p := func(format string, a ...any) { fmt.Fprintf(bw, format, a...) }
	mdScenarioHeader(p, r)
	mdSLOs(p, r)
	mdRepeats(p, r.Repeats)
	mdFaults(p, r.Faults)
	mdPhases(p, phaseRows(r))
	if !r.Passed() {
		mdFailedRequests(p, r.Errors)
		mdAppLog(p, r.SUTLog, logLines)
	}
}

// mdPrinter writes formatted Markdown.
type mdPrinter func(format string, a ...any)

// mdScenarioHeader: the title, the description, the verdict line with the headline
// metrics, telemetry isolation, and the notes for a run that could not run or was
// interrupted.
func mdScenarioHeader(p mdPrinter, r *Report) {
	p("## %s\n\n", mdEscape(r.Scenario))
	if r.Description != "" {
		p("%s\n\n", mdEscape(r.Description))
	}
	p("**Verdict: %s** · started %s · ran %s", verdictLabel(r), r.StartedAt.Format("2006-01-02 15:04:05Z07:00"), fmtMS(r.DurationMS))
	p(" · TTF %s · failback %s · amplification %s · max error burst %d (%s) · Retry-After violations %d · non-retryable retries %d\n\n",
		fmtMeasure(r.Metrics.TTFMS, r.Metrics.TTFState), fmtMeasure(r.Metrics.FailbackMS, r.Metrics.FailbackState),
		fmtAmp(r.Metrics.Amplification), r.Metrics.MaxErrorBurst.Count, fmtMS(r.Metrics.MaxErrorBurst.DurationMS),
		r.Metrics.RetryAfterViolations, r.Metrics.NonRetryableRetries)
	if rp := r.Repeats; rp != nil {
		p("**%d runs** (%s decides each SLO): %s passed; the figures below are run %d's\n\n",
			rp.Runs, rp.decisionText(), rp.passedText(), rp.ShownRun)
	}
	if tm := r.Metrics.Telemetry; tm != nil {
		p("**Telemetry isolation:** while the collector was faulted availability %s (%s) and p99 %s (steady state %s (%s) and %s, ratio %s); telemetry resumed after the fault: %s\n\n",
			fmtPct(tm.FaultedAvailability), fmtSamples(tm.FaultedRequests, tm.FaultedAvailabilityInterval), fmtMS(tm.FaultedP99MS),
			fmtPct(tm.SteadyAvailability), fmtSamples(tm.SteadyRequests, tm.SteadyAvailabilityInterval), fmtMS(tm.SteadyP99MS),
			fmtAmp(tm.LatencyRatio), yesNo(tm.Resumed))
	}
	if r.RunError != "" {
		first, _, _ := strings.Cut(r.RunError, "\n")
		p("> [!CAUTION]\n> The harness could not run this scenario: %s\n\n", mdEscape(first))
	}
	if r.Interrupted {
		p("> [!WARNING]\n> The run was interrupted before its timeline ended.\n\n")
	}
	for _, u := range r.Unmeasured {
		p("> [!NOTE]\n> Not measured: %s.\n\n", mdEscape(u))
	}
}

// mdSLOs: the breached SLOs with their reasons, then the table of all SLOs, breached first.
func mdSLOs(p mdPrinter, r *Report) {
	if br := r.Breached(); len(br) > 0 {
		p("### Breached SLOs\n\n")
		for _, b := range br {
			p("- **%s**: observed %s", mdEscape(b.Expr), mdEscape(b.Observed))
			if b.Reason != "" {
				p(": %s", mdEscape(b.Reason))
			}
			p("\n")
		}
		p("\n")
	}
	if len(r.SLOs) > 0 {
		p("### SLOs\n\n| | SLO | Observed | Samples · 95%% interval | Reason |\n|---|---|---|---|---|\n")
		for _, s := range slosBreachedFirst(r.SLOs) {
			mark := "✅"
			if !s.Pass {
				mark = "❌"
			}
			samples := s.samplesText()
			if s.Inconclusive {
				samples += " **inconclusive**"
			}
			p("| %s | %s | %s | %s | %s |\n", mark, mdEscape(s.Expr), mdEscape(s.Observed), samples, mdEscape(s.Reason))
		}
		p("\n")
	}
}

// mdFaults: the faults' table.
func mdFaults(p mdPrinter, faults []Fault) {
	if len(faults) == 0 {
		return
	}
	p("### Faults\n\n| Upstream | Fault | Window | TTF | Failback | Detail |\n|---|---|---|---|---|---|\n")
	for _, f := range faults {
		p("| %s | %s | %s – %s | %s | %s | %s |\n", mdEscape(f.Upstream), mdEscape(f.Kind),
			fmtMS(f.StartMS), fmtMS(f.EndMS), fmtMeasure(f.TTFMS, f.TTFState),
			fmtMeasure(f.FailbackMS, f.FailbackState), mdEscape(f.Detail))
	}
	p("\n")
}

// mdPhases: the phases' table.
func mdPhases(p mdPrinter, phases []Phase) {
	if len(phases) == 0 {
		return
	}
	p("### Phases\n\n| Phase | Window | Requests | OK | Availability | Latency p50 / p99 / max | TTFT p50 / p99 | Served by | Amplification | Failures |\n")
	p("|---|---|---:|---:|---:|---|---|---|---:|---|\n")
	for _, ph := range phases {
		p("| %s | %s – %s | %d | %d | %s<br>%s | %s / %s / %s | %s / %s | %s | %s | %s |\n",
			mdEscape(ph.Name), fmtMS(ph.StartMS), fmtMS(ph.EndMS), ph.Requests, ph.OK,
			fmtPct(ph.Availability), ph.samplesText(), ph.LatencyMS.fmt(ph.LatencyMS.P50), ph.LatencyMS.fmt(ph.LatencyMS.P99), ph.LatencyMS.fmt(ph.LatencyMS.Max),
			ph.TTFTMS.fmt(ph.TTFTMS.P50), ph.TTFTMS.fmt(ph.TTFTMS.P99), mdEscape(fmtCounts(ph.ServedBy)),
			fmtAmp(ph.Amplification), mdEscape(fmtFailures(ph.Outcomes)))
	}
	p("\n")
	if turns := fmtToolCallTurns(phases); turns != "" {
		p("Tool-call turns (answers that were a tool call, each followed up with its result): %s\n\n", mdEscape(turns))
	}
}

// fmtToolCallTurns lists the phases' tool-call turns: "steady 40, outage 80"; "" when
// the run had none.
func fmtToolCallTurns(phases []Phase) string {
	var parts []string
	for _, ph := range phases {
		if ph.ToolCallTurns > 0 {
			parts = append(parts, fmt.Sprintf("%s %d", ph.Name, ph.ToolCallTurns))
		}
	}
	return strings.Join(parts, ", ")
}

// mdFailedRequests: the failed requests' table (a failed scenario's).
func mdFailedRequests(p mdPrinter, errs []ErrorCount) {
	if len(errs) == 0 {
		return
	}
	p("### Failed requests\n\n| Count | Outcome | Status | Error |\n|---:|---|---:|---|\n")
	for _, e := range errs {
		p("| %d | %s | %s | %s |\n", e.Count, mdEscape(e.Outcome), fmtStatus(e.Status), mdEscape(e.Error))
	}
	p("\n")
}

// mdAppLog: the app log's last logLines lines (a failed scenario's), escaped in a <pre>.
func mdAppLog(p mdPrinter, log []string, logLines int) {
	if logLines <= 0 || len(log) == 0 {
		return
	}
	lines := log
	if len(lines) > logLines {
		lines = lines[len(lines)-logLines:]
	}
	// A <pre> block with escaped text: no line can end it early or become markup.
	p("<details><summary>App log (last %d lines)</summary>\n\n<pre>\n%s\n</pre>\n\n</details>\n\n", len(lines), html.EscapeString(strings.Join(lines, "\n")))
}

// mdBreachedCell lists a report's breached and flaky SLOs for the verdict table (breachedItems), escaped.
func mdBreachedCell(r *Report) []string {
	items := breachedItems(r)
	for i, it := range items {
		items[i] = mdEscape(it)
	}
	return items
}

// mdRepeats: a repeated run's table: each SLO over the runs, and each run's verdict.
func mdRepeats(p mdPrinter, rp *Repeats) {
	if rp == nil {
		return
	}
	p("### Runs\n\n%s\n\n", mdEscape(rp.verdictsText()))
	if len(rp.SLOs) == 0 {
		return
	}
	p("| | SLO | Runs held | Observed min / median / max | Flaky | Inconclusive runs |\n|---|---|---:|---|---|---:|\n")
	for _, s := range rp.SLOs {
		mark := "✅"
		if !s.Pass {
			mark = "❌"
		}
		p("| %s | %s | %d/%d | %s | %s | %d |\n", mark, mdEscape(s.Expr), s.Held, s.Runs,
			mdEscape(s.spreadText()), yesNo(s.Flaky), s.Inconclusive)
	}
	p("\n")
}
