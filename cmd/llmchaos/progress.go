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
	"github.com/llmchaos/llmchaos/scenarios"
)

// progressPrinter shows the progress of every running scenario: on a terminal one status
// line per running run, rewritten in place (a multi-line block with --parallel), a plain
// line per phase otherwise (CI logs), or nothing. A plain line is printed when its phase
// ends, so its numbers (requests sent, current success rate) are the phase's outcome, not
// the previous phase's; lines of runs running at once interleave, each naming its
// scenario (and its run with --repeat).
type progressPrinter struct {
	w    io.Writer
	mode string // "tty", "plain", "off"
	mu   sync.Mutex
	// active are the running runs in the order they started, with their last update.
	active []*progressSlot
	// drawn is how many status lines the terminal shows now (tty).
	drawn int
}

// progressSlot is one running run: its name and its previous update.
type progressSlot struct {
	key, name string
	last      harness.Progress
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

// progressKey tells runs apart: the file and the run's number.
func progressKey(f *scenarios.File, run int) string { return fmt.Sprintf("%s#%d", f.Path, run) }

// slot is the running run's slot, added when its first update comes.
func (p *progressPrinter) slot(f *scenarios.File, run, runs int) *progressSlot {
	key := progressKey(f, run)
	for _, s := range p.active {
		if s.key == key {
			return s
		}
	}
	s := &progressSlot{key: key, name: f.Scenario.Name + runLabel(run, runs)}
	p.active = append(p.active, s)
	return s
}

// update is runner.WithOnProgress's hook for a plan of runs runs per file.
func (p *progressPrinter) update(runs int) func(f *scenarios.File, run int, pr harness.Progress) {
	return func(f *scenarios.File, run int, pr harness.Progress) {
		p.mu.Lock()
		defer p.mu.Unlock()
		if p.mode == "off" {
			return
		}
		s := p.slot(f, run, runs)
		switch p.mode {
		case "tty":
			s.last = pr
			p.redraw("")
			return
		case "plain":
			// A phase ended: print it with the numbers at its end (this update's).
			if s.last.Phase != "" && s.last.Phase != pr.Phase {
				fmt.Fprintln(p.w, progressLine(s.name, s.last.Phase, pr))
			}
			if pr.Done && pr.Phase != "" {
				fmt.Fprintln(p.w, progressLine(s.name, pr.Phase, pr))
				pr.Phase = "" // printed; a later update must not print it again
			}
		}
		s.last = pr
	}
}

// redraw rewrites the terminal's status block: above it the line done (when not ""),
// then one line per running run.
func (p *progressPrinter) redraw(done string) {
	var b strings.Builder
	if p.drawn > 0 {
		fmt.Fprintf(&b, "\r\033[%dA", p.drawn)
	}
	b.WriteString("\r\033[J")
	if done != "" {
		b.WriteString(done + "\n")
	}
	for _, s := range p.active {
		b.WriteString(progressLine(s.name, s.last.Phase, s.last) + "\n")
	}
	p.drawn = len(p.active)
	fmt.Fprint(p.w, b.String())
}

// progressLine is a status line for run name's phase with pr's numbers.
func progressLine(name, phase string, pr harness.Progress) string {
	return fmt.Sprintf("%-24s phase %-14s %5.1fs / %.1fs  sent %4d  success %5.1f%%",
		term(name), term(phase), pr.Elapsed.Seconds(), pr.Total.Seconds(), pr.Sent, 100*pr.SuccessRate)
}

// finish prints a run's verdict line and forgets the run.
func (p *progressPrinter) finish(o *runner.Outcome) {
	p.mu.Lock()
	defer p.mu.Unlock()
	key := progressKey(o.File, o.Run)
	for i, s := range p.active {
		if s.key == key {
			p.active = append(p.active[:i], p.active[i+1:]...)
			break
		}
	}
	line := fmt.Sprintf("%-24s %s", term(o.File.Scenario.Name)+runLabel(o.Run, o.Runs), verdictWord(o))
	switch p.mode {
	case "tty":
		p.redraw(line)
	case "plain":
		fmt.Fprintln(p.w, line)
	}
}

// runLabel names run n of a repeated file: " [2/5]"; "" for a file run once.
func runLabel(n, of int) string {
	if of <= 1 {
		return ""
	}
	return fmt.Sprintf(" [%d/%d]", n, of)
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

// printSummary prints the end-of-run table: scenario, verdict, key metrics (of the run
// the report shows), breached SLOs; with repeated runs also how many runs passed, how
// often each breached SLO held, and the flaky SLOs.
func printSummary(w io.Writer, done []*runner.FileRuns) {
	repeated := false
	for _, fr := range done {
		repeated = repeated || fr.Report.Repeats != nil
	}
	fmt.Fprintln(w)
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	head := "SCENARIO\tVERDICT\tTTF\tFAILBACK\tAMPLIFICATION\tBREACHED"
	if repeated {
		head = "SCENARIO\tVERDICT\tRUNS PASSED\tTTF\tFAILBACK\tAMPLIFICATION\tBREACHED\tFLAKY"
	}
	fmt.Fprintln(tw, head)
	for _, fr := range done {
		fmt.Fprintln(tw, summaryRow(fr, repeated))
	}
	tw.Flush()
}

// summaryRow is one file's line of the summary table.
func summaryRow(fr *runner.FileRuns, repeated bool) string {
	r := fr.Report
	cells := []string{term(fr.File.Scenario.Name), summaryWord(fr)}
	if repeated {
		cells = append(cells, runsPassed(r))
	}
	if !fr.Shown().Ran {
		cells = append(cells, "-", "-", "-", "-")
	} else {
		m := r.Metrics
		cells = append(cells, measure(m.TTFMS, m.TTFState), measure(m.FailbackMS, m.FailbackState), amplification(m.Amplification), term(breachedList(r)))
	}
	if repeated {
		cells = append(cells, term(flakyList(r)))
	}
	return strings.Join(cells, "\t")
}

// summaryWord is the file's verdict word in the table.
func summaryWord(fr *runner.FileRuns) string {
	r := fr.Report
	switch {
	case !fr.Shown().Ran:
		return "COULD NOT RUN"
	case r.Interrupted:
		return "interrupted"
	case r.Passed():
		return "pass"
	}
	return "FAIL"
}

// runsPassed is "4/5" for a repeated file, "1/1" or "0/1" for one run.
func runsPassed(r *reports.Report) string {
	if r.Repeats == nil {
		return fmt.Sprintf("%d/1", btoi(r.Passed()))
	}
	n := 0
	for _, v := range r.Repeats.Verdicts {
		if v == string(reports.VerdictPass) {
			n++
		}
	}
	return fmt.Sprintf("%d/%d", n, r.Repeats.Runs)
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

// breachedList names the breached SLOs with what the shown run observed and, repeated,
// how many runs held each.
func breachedList(r *reports.Report) string {
	var out []string
	for i, s := range r.SLOs {
		if s.Pass {
			continue
		}
		item := s.Expr + " (observed " + s.Observed
		if r.Repeats != nil && i < len(r.Repeats.SLOs) {
			item += fmt.Sprintf(", held %d/%d", r.Repeats.SLOs[i].Held, r.Repeats.SLOs[i].Runs)
		}
		out = append(out, item+")")
	}
	return strings.Join(out, "; ")
}

// flakyList names the flaky SLOs of a repeated file with how many runs held each.
func flakyList(r *reports.Report) string {
	var out []string
	for _, s := range r.Flaky() {
		out = append(out, fmt.Sprintf("%s (held %d/%d)", s.Expr, s.Held, s.Runs))
	}
	if len(out) == 0 {
		return "-"
	}
	return strings.Join(out, "; ")
}

// measure is a ttf/failback figure as the summary prints it.
func measure(v *float64, st reports.MeasureState) string {
	switch {
	case st == reports.StateNever:
		return "never"
	case st != reports.StateMeasured || v == nil:
		return "n/a"
	}
	return (time.Duration(*v * float64(time.Millisecond))).Round(time.Millisecond).String()
}

func amplification(f reports.Float) string {
	if !f.Valid() {
		return "n/a"
	}
	return fmt.Sprintf("%.2f", float64(f))
}

// term is s as it may reach a terminal: control characters escaped (reports.Printable),
// so text from a file, an app or an error cannot drive the terminal.
func term(s string) string { return reports.Printable(s) }
