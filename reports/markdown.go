package reports

import (
	"bufio"
	"fmt"
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
	// Redactor cleans every string before it is rendered (Clean); nil is DefaultRedactor().
	Redactor *Redactor
}

// Render writes the Markdown document.
func (m Markdown) Render(w io.Writer, reps []*Report, sum *Summary) error {
	reps, sum = Clean(reps, m.Redactor), cleanSummary(sum, m.Redactor)
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
			br := mdBreachedCell(r)
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
