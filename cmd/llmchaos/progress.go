package main

import (
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"text/tabwriter"
	"time"

	"github.com/llmchaos/llmchaos/harness"
	"github.com/llmchaos/llmchaos/reports"
	"github.com/llmchaos/llmchaos/runner"
)

// progressPrinter shows a run's progress: one rewritten status line on a terminal, a plain
// line per phase otherwise (CI logs), or nothing. A plain line is printed when its phase
// ends, so its numbers (requests sent, current success rate) are the phase's outcome, not
// the previous phase's.
type progressPrinter struct {
	w    io.Writer
	mode string // "tty", "plain", "off"
	mu   sync.Mutex
	// last is the previous update of the scenario running now (zero between scenarios).
	last harness.Progress
}

func newProgressPrinter(mode string, w io.Writer) (*progressPrinter, error) {
	switch mode {
	case "auto":
		mode = "plain"
		if isTerminal(w) {
			mode = "tty"
		}
	case "plain", "off":
	default:
		return nil, fmt.Errorf("--progress %q: auto, plain or off", mode)
	}
	return &progressPrinter{w: w, mode: mode}, nil
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

func (p *progressPrinter) update(pr harness.Progress) {
	p.mu.Lock()
	defer p.mu.Unlock()
	switch p.mode {
	case "tty":
		fmt.Fprintf(p.w, "\r\033[K%s", progressLine(pr.Phase, pr))
	case "plain":
		// A phase ended: print it with the numbers at its end (this update's).
		if p.last.Phase != "" && p.last.Phase != pr.Phase {
			fmt.Fprintln(p.w, progressLine(p.last.Phase, pr))
		}
		if pr.Done && pr.Phase != "" {
			fmt.Fprintln(p.w, progressLine(pr.Phase, pr))
			pr.Phase = "" // printed; a later update must not print it again
		}
	}
	p.last = pr
}

// progressLine is a status line for phase with pr's numbers.
func progressLine(phase string, pr harness.Progress) string {
	return fmt.Sprintf("%-24s phase %-14s %5.1fs / %.1fs  sent %4d  success %5.1f%%",
		term(pr.Scenario), term(phase), pr.Elapsed.Seconds(), pr.Total.Seconds(), pr.Sent, 100*pr.SuccessRate)
}

func (p *progressPrinter) finish(o *runner.Outcome) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.last = harness.Progress{}
	if p.mode == "off" {
		return
	}
	if p.mode == "tty" {
		fmt.Fprint(p.w, "\r\033[K")
	}
	fmt.Fprintf(p.w, "%-24s %s\n", term(o.File.Scenario.Name), verdictWord(o))
}

func verdictWord(o *runner.Outcome) string {
	switch {
	case o.Result == nil:
		return "COULD NOT RUN"
	case o.Result.Interrupted:
		return "INTERRUPTED"
	case o.Verdict.Pass:
		return "PASS"
	}
	return fmt.Sprintf("FAIL (%d of %d SLOs breached)", len(o.Verdict.Breached()), len(o.Verdict.Checks))
}

// printSummary prints the end-of-run table: scenario, verdict, key metrics, breached SLOs.
func printSummary(w io.Writer, outcomes []*runner.Outcome) {
	fmt.Fprintln(w)
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "SCENARIO\tVERDICT\tTTF\tFAILBACK\tAMPLIFICATION\tBREACHED")
	for _, o := range outcomes {
		if o.Result == nil {
			fmt.Fprintf(tw, "%s\t%s\t-\t-\t-\t-\n", term(o.File.Scenario.Name), verdictWord(o))
			continue
		}
		m := o.Verdict.Metrics
		var breached []string
		for _, c := range o.Verdict.Breached() {
			breached = append(breached, c.Expr+" (observed "+c.Observed+")")
		}
		word := "pass"
		if !o.Verdict.Pass {
			word = "FAIL"
		}
		if o.Result.Interrupted {
			word = "interrupted"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%.2f\t%s\n", term(o.File.Scenario.Name), word,
			measure(m.TTF.Value, m.TTF.Never, m.TTF.None), measure(m.Failback.Value, m.Failback.Never, m.Failback.None),
			m.Amplification, term(strings.Join(breached, "; ")))
	}
	tw.Flush()
}

func measure(d time.Duration, never, none bool) string {
	switch {
	case none:
		return "n/a"
	case never:
		return "never"
	}
	return d.Round(time.Millisecond).String()
}

// term is s as it may reach a terminal: control characters escaped (reports.Printable),
// so text from a file, an app or an error cannot drive the terminal.
func term(s string) string { return reports.Printable(s) }
