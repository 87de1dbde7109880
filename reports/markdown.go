package reports

import (
	"bufio"
	"fmt"
	"html"
	"io"
	"sort"
	"strconv"
	"strings"
)

// DefaultMarkdownLogLines is how many of the app's last log lines the Markdown report
// shows for a failed scenario.
const DefaultMarkdownLogLines = 30

// Markdown renders a set of reports as GitHub-flavoured Markdown that fits a CI job
// summary ($GITHUB_STEP_SUMMARY): a verdict table, then per scenario (failed first) the
// breached SLOs with their reasons, all SLOs, faults and phases. Every untrusted string
// is escaped, so a log line holding "<script>" or "|" cannot break the layout.
type Markdown struct {
	// LogLines is how many log lines to show for a failed scenario; 0 means
	// DefaultMarkdownLogLines, negative shows none.
	LogLines int
}

// Render writes the Markdown document.
func (m Markdown) Render(w io.Writer, reps []*Report, sum *Summary) error {
	sum = summaryOf(reps, sum)
	bw := bufio.NewWriter(w)
	p := func(format string, a ...any) { fmt.Fprintf(bw, format, a...) }
	t := sum.Totals
	p("# llmchaos resilience report\n\n")
	icon := verdictIcon(VerdictPass)
	if !sum.Passed() {
		icon = verdictIcon(VerdictFail)
	}
	p("%s **%d scenario%s: %d passed, %d failed** · %d of %d SLOs breached", icon, t.Scenarios, plural(t.Scenarios), t.Passed, t.Failed, t.Breached, t.SLOs)
	if t.Interrupted > 0 {
		p(" · %d interrupted", t.Interrupted)
	}
	p("\n\n")
	ordered := failedFirst(reps)
	if len(ordered) > 0 {
		p("| Scenario | Verdict | Breached SLOs | TTF | Failback | Availability during faults | Amplification |\n")
		p("|---|---|---|---|---|---|---|\n")
		for _, r := range ordered {
			var br []string
			for _, b := range r.Breached() {
				br = append(br, mdEscape(b.Expr))
			}
			breached := "–"
			if len(br) > 0 {
				breached = strings.Join(br, "<br>")
			}
			p("| [%s](#%s) | %s | %s | %s | %s | %s | %s |\n", mdEscape(r.Scenario), mdAnchor(r.Scenario),
				verdictLabel(r), breached, fmtMeasure(r.Metrics.TTFMS, r.Metrics.TTFState),
				fmtMeasure(r.Metrics.FailbackMS, r.Metrics.FailbackState), mdEscape(keyAvailability(r)),
				fmtAmp(r.Metrics.Amplification))
		}
		p("\n")
	}
	logLines := m.LogLines
	if logLines == 0 {
		logLines = DefaultMarkdownLogLines
	}
	for _, r := range ordered {
		m.scenario(bw, r, logLines)
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write Markdown report: %w", err)
	}
	return nil
}

func (Markdown) scenario(bw *bufio.Writer, r *Report, logLines int) {
	p := func(format string, a ...any) { fmt.Fprintf(bw, format, a...) }
	p("## %s\n\n", mdEscape(r.Scenario))
	if r.Description != "" {
		p("%s\n\n", mdEscape(r.Description))
	}
	p("**Verdict: %s** · started %s · ran %s", verdictLabel(r), r.StartedAt.Format("2006-01-02 15:04:05Z07:00"), fmtMS(r.DurationMS))
	p(" · TTF %s · failback %s · amplification %s · max error burst %d (%s) · Retry-After violations %d\n\n",
		fmtMeasure(r.Metrics.TTFMS, r.Metrics.TTFState), fmtMeasure(r.Metrics.FailbackMS, r.Metrics.FailbackState),
		fmtAmp(r.Metrics.Amplification), r.Metrics.MaxErrorBurst.Count, fmtMS(r.Metrics.MaxErrorBurst.DurationMS),
		r.Metrics.RetryAfterViolations)
	if tm := r.Metrics.Telemetry; tm != nil {
		p("**Telemetry isolation:** while the collector was faulted availability %s and p99 %s (steady state %s and %s, ratio %s); telemetry resumed after the fault: %s\n\n",
			fmtPct(tm.FaultedAvailability), fmtMS(tm.FaultedP99MS), fmtPct(tm.SteadyAvailability), fmtMS(tm.SteadyP99MS),
			fmtAmp(tm.LatencyRatio), yesNo(tm.Resumed))
	}
	if r.RunError != "" {
		first, _, _ := strings.Cut(r.RunError, "\n")
		p("> [!CAUTION]\n> The harness could not run this scenario: %s\n\n", mdEscape(first))
	}
	if r.Interrupted {
		p("> [!WARNING]\n> The run was interrupted before its timeline ended.\n\n")
	}
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
		p("### SLOs\n\n| | SLO | Observed | Reason |\n|---|---|---|---|\n")
		for _, s := range slosBreachedFirst(r.SLOs) {
			mark := "✅"
			if !s.Pass {
				mark = "❌"
			}
			p("| %s | %s | %s | %s |\n", mark, mdEscape(s.Expr), mdEscape(s.Observed), mdEscape(s.Reason))
		}
		p("\n")
	}
	if len(r.Faults) > 0 {
		p("### Faults\n\n| Upstream | Fault | Window | TTF | Failback | Detail |\n|---|---|---|---|---|---|\n")
		for _, f := range r.Faults {
			p("| %s | %s | %s – %s | %s | %s | %s |\n", mdEscape(f.Upstream), mdEscape(f.Kind),
				fmtMS(f.StartMS), fmtMS(f.EndMS), fmtMeasure(f.TTFMS, f.TTFState),
				fmtMeasure(f.FailbackMS, f.FailbackState), mdEscape(f.Detail))
		}
		p("\n")
	}
	if len(r.Phases) > 0 {
		p("### Phases\n\n| Phase | Window | Requests | OK | Availability | Latency p50 / p99 / max | TTFT p50 / p99 | Served by | Amplification | Failures |\n")
		p("|---|---|---:|---:|---:|---|---|---|---:|---|\n")
		for _, ph := range r.Phases {
			p("| %s | %s – %s | %d | %d | %s | %s / %s / %s | %s / %s | %s | %s | %s |\n",
				mdEscape(ph.Name), fmtMS(ph.StartMS), fmtMS(ph.EndMS), ph.Requests, ph.OK,
				fmtPct(ph.Availability), ph.LatencyMS.fmt(ph.LatencyMS.P50), ph.LatencyMS.fmt(ph.LatencyMS.P99), ph.LatencyMS.fmt(ph.LatencyMS.Max),
				ph.TTFTMS.fmt(ph.TTFTMS.P50), ph.TTFTMS.fmt(ph.TTFTMS.P99), mdEscape(fmtCounts(ph.ServedBy)),
				fmtAmp(ph.Amplification), mdEscape(fmtFailures(ph.Outcomes)))
		}
		p("\n")
	}
	if len(r.Errors) > 0 && !r.Passed() {
		p("### Failed requests\n\n| Count | Outcome | Status | Error |\n|---:|---|---:|---|\n")
		for _, e := range r.Errors {
			p("| %d | %s | %s | %s |\n", e.Count, mdEscape(e.Outcome), fmtStatus(e.Status), mdEscape(e.Error))
		}
		p("\n")
	}
	if logLines > 0 && len(r.SUTLog) > 0 && !r.Passed() {
		lines := r.SUTLog
		if len(lines) > logLines {
			lines = lines[len(lines)-logLines:]
		}
		// A <pre> block with escaped text: no line can end it early or become markup.
		p("<details><summary>App log (last %d lines)</summary>\n\n<pre>\n%s\n</pre>\n\n</details>\n\n", len(lines), html.EscapeString(strings.Join(lines, "\n")))
	}
}

// fmtFailures lists the non-ok outcomes: "http_error 12, timeout 3".
func fmtFailures(outcomes map[string]int) string {
	bad := map[string]int{}
	for k, v := range outcomes {
		if k != "ok" && v > 0 {
			bad[k] = v
		}
	}
	return fmtCounts(bad)
}

func verdictIcon(v Verdict) string {
	if v == VerdictPass {
		return "✅"
	}
	return "❌"
}

func verdictLabel(r *Report) string {
	s := verdictIcon(r.Verdict) + " " + string(r.Verdict)
	if r.Interrupted {
		s += " (interrupted)"
	}
	return s
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

// failedFirst returns reps with the failed scenarios first, order kept within each group.
func failedFirst(reps []*Report) []*Report {
	out := append([]*Report(nil), reps...)
	sort.SliceStable(out, func(i, j int) bool { return !out[i].Passed() && out[j].Passed() })
	return out
}

var mdReplacer = strings.NewReplacer(
	`\`, `\\`, "`", "\\`", "*", `\*`, "_", `\_`, "[", `\[`, "]", `\]`, "|", `\|`,
	"#", `\#`, "~", `\~`, "&", "&amp;", "<", "&lt;", ">", "&gt;",
	"\r\n", " ", "\n", " ", "\r", " ",
)

// mdEscape makes untrusted text inert in Markdown and in a table cell: Markdown
// punctuation is backslash-escaped, HTML special characters become entities, and line
// breaks become spaces.
func mdEscape(s string) string { return mdReplacer.Replace(s) }

// mdAnchor is GitHub's heading anchor for a scenario heading (lower case, spaces to
// dashes, punctuation other than '-' and '_' dropped).
func mdAnchor(s string) string {
	var b strings.Builder
	for _, c := range strings.ToLower(s) {
		switch {
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9', c == '-', c == '_':
			b.WriteRune(c)
		case c == ' ':
			b.WriteByte('-')
		}
	}
	return b.String()
}

func fmtStatus(s int) string {
	if s == 0 {
		return "–"
	}
	return strconv.Itoa(s)
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}
