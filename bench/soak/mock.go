package main

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"time"

	"github.com/llmchaos/llmchaos/mocks/control"
)

// standaloneMock is a `llmchaos mock llm` process of its own.
type standaloneMock struct {
	cmd    *exec.Cmd
	URL    string
	client *control.Client
}

var servingLine = regexp.MustCompile(`serving on (http://127\.0\.0\.1:\d+) `)

// startMock starts `llmchaos mock llm` on a free loopback port with a journal of limit
// attempts and waits for the line that names its address.
func startMock(ctx context.Context, bin string, limit, words int) (*standaloneMock, error) {
	args := []string{"mock", "llm", "--listen", "127.0.0.1:0", "--name", "standalone", "--journal-limit", strconv.Itoa(limit)}
	if words > 0 {
		args = append(args, "--words", strconv.Itoa(words))
	}
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start the standalone mock: %w", err)
	}
	found := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			if m := servingLine.FindStringSubmatch(sc.Text()); m != nil {
				found <- m[1]
			}
		}
	}()
	select {
	case url := <-found:
		c, err := control.NewClient(url)
		if err != nil {
			_ = cmd.Process.Kill()
			return nil, err
		}
		return &standaloneMock{cmd: cmd, URL: url, client: c}, nil
	case <-time.After(30 * time.Second):
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		return nil, fmt.Errorf("the standalone mock printed no serving line in 30s")
	}
}

// Pid is the mock process's id.
func (m *standaloneMock) Pid() int { return m.cmd.Process.Pid }

// Journal reads the mock's journal state (GET /_llmchaos/info).
func (m *standaloneMock) Journal(ctx context.Context) (control.JournalStats, error) {
	info, err := m.client.Info(ctx)
	return info.Journal, err
}

// Settle waits until the mock journalled every attempt it began (an attempt is recorded
// when its answer ends, after the client may have stopped waiting), up to 10 s.
func (m *standaloneMock) Settle(ctx context.Context) {
	deadline := time.Now().Add(10 * time.Second)
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	for time.Now().Before(deadline) {
		if st, err := m.Journal(ctx); err == nil && st.Kept+st.Dropped >= st.Seq {
			return
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}

// Stop interrupts the mock (as Ctrl-C does) and waits for it.
func (m *standaloneMock) Stop() error {
	m.client.Close()
	_ = m.cmd.Process.Signal(os.Interrupt)
	return m.cmd.Wait()
}
