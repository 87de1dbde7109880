package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/llmchaos/llmchaos/mocks/control"
)

// row is one sample of the soak: the resident memory of the three processes and the
// standalone mock's journal.
type row struct {
	At                       time.Duration
	HarnessKB, AppKB, MockKB int // 0: the process was not (yet, any more) there
	// HarnessCPU, AppCPU, MockCPU are the CPU seconds each process used so far.
	HarnessCPU, AppCPU, MockCPU float64
	Journal                     control.JournalStats
	Sent, Late                  int64 // the standalone mock's client
}

// sampler takes rows every interval until the run ends.
type sampler struct {
	begin   time.Time
	harness int // pid of llmchaos run
	app     string
	mock    *standaloneMock
	counts  *clientCounts
	out     io.Writer
	rows    []row
}

// take samples once now.
func (s *sampler) take(ctx context.Context) row {
	r := row{At: time.Since(s.begin).Round(time.Second), Sent: s.counts.sent.Load(), Late: s.counts.late.Load()}
	r.HarnessKB, _ = rssKB(s.harness)
	r.HarnessCPU, _ = cpuSeconds(s.harness)
	if pid := descendantNamed(s.harness, s.app); pid > 0 {
		r.AppKB, _ = rssKB(pid)
		r.AppCPU, _ = cpuSeconds(pid)
	}
	r.MockKB, _ = rssKB(s.mock.Pid())
	r.MockCPU, _ = cpuSeconds(s.mock.Pid())
	if st, err := s.mock.Journal(ctx); err == nil {
		r.Journal = st
	}
	s.rows = append(s.rows, r)
	fmt.Fprintln(s.out, r.line())
	return r
}

// until samples every interval until done closes, and once more then.
func (s *sampler) until(ctx context.Context, every time.Duration, done <-chan struct{}) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-done:
			return
		case <-t.C:
			s.take(ctx)
		}
	}
}

// header is the table's head, Markdown.
const header = "| t | harness RSS | app RSS | mock RSS | mock journal kept | mock journal dropped | mock requests | CPU s harness / app / mock |\n|---|---|---|---|---|---|---|---|"

func (r row) line() string {
	return fmt.Sprintf("| %v | %s | %s | %s | %d | %d | %d | %.0f / %.0f / %.0f |", r.At, mb(r.HarnessKB), mb(r.AppKB), mb(r.MockKB),
		r.Journal.Kept, r.Journal.Dropped, r.Sent, r.HarnessCPU, r.AppCPU, r.MockCPU)
}

func mb(kb int) string {
	if kb == 0 {
		return "–"
	}
	return fmt.Sprintf("%.1f MB", float64(kb)/1024)
}
