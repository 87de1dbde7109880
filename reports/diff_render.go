package reports

import (
	"bufio"
	"fmt"
	"io"
)

// WriteText writes the diff for a terminal: regressions, then improvements, then notes,
// one line each, and a closing line with the counts.
func (d DiffResult) WriteText(w io.Writer) error {
	bw := bufio.NewWriter(w)
	for _, g := range []struct {
		title string
		list  []Change
	}{{"Regressions", d.Regressions()}, {"Improvements", d.Improvements()}, {"Notes", d.Notes()}} {
		if len(g.list) == 0 {
			continue
		}
		fmt.Fprintf(bw, "%s:\n", g.title)
		for _, c := range g.list {
			fmt.Fprintf(bw, "  %s  %s: %s -> %s", c.Scenario, c.Metric, c.Base, c.New)
			if c.Detail != "" {
				fmt.Fprintf(bw, " (%s)", c.Detail)
			}
			fmt.Fprintln(bw)
		}
	}
	fmt.Fprintf(bw, "%d scenario(s) compared: %d regression(s), %d improvement(s), %d note(s)\n",
		d.Compared, len(d.Regressions()), len(d.Improvements()), len(d.Notes()))
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write diff: %w", err)
	}
	return nil
}

// WriteMarkdown writes the diff as a Markdown table (regressions first), escaped for a
// CI job summary.
func (d DiffResult) WriteMarkdown(w io.Writer) error {
	bw := bufio.NewWriter(w)
	icon := "✅"
	if d.Regressed() {
		icon = "❌"
	}
	fmt.Fprintf(bw, "## llmchaos baseline diff\n\n%s %d scenario(s) compared: **%d regression(s)**, %d improvement(s), %d note(s)\n\n",
		icon, d.Compared, len(d.Regressions()), len(d.Improvements()), len(d.Notes()))
	if len(d.Changes) > 0 {
		fmt.Fprintf(bw, "| | Scenario | Metric | Base | New | Detail |\n|---|---|---|---|---|---|\n")
		for _, k := range []ChangeKind{Regression, Improvement, Note} {
			for _, c := range d.of(k) {
				fmt.Fprintf(bw, "| %s | %s | %s | %s | %s | %s |\n", changeIcon(k), mdEscape(c.Scenario), mdEscape(c.Metric),
					mdEscape(c.Base), mdEscape(c.New), mdEscape(c.Detail))
			}
		}
		fmt.Fprintln(bw)
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write diff: %w", err)
	}
	return nil
}

func changeIcon(k ChangeKind) string {
	switch k {
	case Regression:
		return "🔺 regression"
	case Improvement:
		return "✅ improvement"
	}
	return "ℹ️ note"
}
