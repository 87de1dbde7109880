//go:build unix

package main

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// longRun is `llmchaos run` started as a process on a scenario with a 60-second outage
// phase, whose app is the gateway started by a shell: the shell leads the app's process
// group and the gateway is its child (a grandchild of llmchaos, like the binary `go run`
// compiles), so a fix that kills only the direct child is not enough.
type longRun struct {
	cmd    *exec.Cmd
	out    string // the --out folder
	stderr *syncBuffer
	lines  chan string
	seen   []string
	leader int // the shell's pid
	app    int // the gateway's pid
}

// startLongRun starts llmchaos on such a scenario; prefix runs in the shell before it
// starts the gateway (a trap, say), suffix after the gateway exits.
func startLongRun(t *testing.T, name, prefix, suffix string) *longRun {
	t.Helper()
	llmchaos := binary(t, "./cmd/llmchaos")
	gateway := binary(t, "./examples/gateway")
	dir := t.TempDir()
	leaderFile, appFile := filepath.Join(dir, "leader.pid"), filepath.Join(dir, "app.pid")
	// The gateway logs to a file, as many apps do: an app writing to llmchaos's pipe would
	// die of SIGPIPE once llmchaos is gone, and hide whether llmchaos took it down.
	script := fmt.Sprintf("%s echo $$ > %s; %s >%s 2>&1 & echo $! > %s; wait; %s", prefix, leaderFile, gateway,
		filepath.Join(dir, "gateway.log"), appFile, suffix)
	file := writeScenario(t, dir, scenarioSpec{
		Name:    name,
		Command: []string{"/bin/sh", "-c", script},
		Timeline: []string{
			"{phase: steady, for: 1s}",
			"{phase: outage, for: 60s, faults: [{upstream: primary, type: down}]}",
		},
		SLOs: []string{"availability(outage) >= 0.95"},
	})
	r := &longRun{out: filepath.Join(dir, "report"), stderr: &syncBuffer{}, lines: make(chan string, 64)}
	r.cmd = exec.Command(llmchaos, "run", "--progress", "plain", "--out", r.out, file)
	r.cmd.Stderr = r.stderr
	stdout, err := r.cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := r.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = r.cmd.Process.Kill(); _ = r.cmd.Wait() })
	go func() {
		defer close(r.lines)
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			r.lines <- sc.Text()
		}
	}()
	r.waitForOutage(t)
	r.leader, r.app = appPID(t, leaderFile), appPID(t, appFile)
	t.Cleanup(func() { // if a test fails with the app left behind
		for _, pid := range []int{r.app, r.leader} {
			if alive(pid) {
				_ = syscall.Kill(pid, syscall.SIGKILL)
			}
		}
	})
	return r
}

// waitForOutage waits for the progress line that ends the steady phase.
func (r *longRun) waitForOutage(t *testing.T) {
	t.Helper()
	deadline := time.After(90 * time.Second)
	for {
		select {
		case l, ok := <-r.lines:
			if !ok {
				t.Fatalf("llmchaos ended before the outage phase\nstdout:\n%s\nstderr:\n%s", strings.Join(r.seen, "\n"), r.stderr.String())
			}
			r.seen = append(r.seen, l)
			if progressRE.MatchString(l) && strings.Contains(l, "phase steady") {
				return
			}
		case <-deadline:
			t.Fatalf("no steady progress line within 90s\nstdout:\n%s\nstderr:\n%s", strings.Join(r.seen, "\n"), r.stderr.String())
		}
	}
}

// wait waits for llmchaos to exit (within `within`) and returns its exit code (-1 when a
// signal ended it).
func (r *longRun) wait(t *testing.T, within time.Duration) int {
	t.Helper()
	done := make(chan error, 1)
	go func() {
		for l := range r.lines {
			r.seen = append(r.seen, l)
		}
		done <- r.cmd.Wait()
	}()
	select {
	case err := <-done:
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			return ee.ExitCode()
		}
		if err != nil {
			t.Fatal(err)
		}
		return 0
	case <-time.After(within):
		t.Fatalf("llmchaos did not exit within %v\nstdout:\n%s\nstderr:\n%s", within, strings.Join(r.seen, "\n"), r.stderr.String())
		return 0
	}
}

// appGone checks that neither the app's group leader nor the gateway outlived llmchaos
// (allowing the kernel and the reaper a few seconds).
func (r *longRun) appGone(t *testing.T) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for alive(r.leader) || alive(r.app) {
		if time.Now().After(deadline) {
			t.Fatalf("10s after llmchaos ended, the app is still running: leader %d alive %v, gateway %d alive %v",
				r.leader, alive(r.leader), r.app, alive(r.app))
		}
		time.Sleep(50 * time.Millisecond) // polling process state: there is no event to wait on
	}
}

// TestTERMAndHUPStopTheRunCleanly: SIGTERM and SIGHUP (a closed terminal, a CI runner
// cancelling a job) stop the run as Ctrl-C does: exit 3, a partial report marked
// interrupted, the app and its children gone. SIGHUP used to kill llmchaos at once (exit
// 129), leaving the app running and no report.
func TestTERMAndHUPStopTheRunCleanly(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: skipping the end-to-end signal runs of llmchaos against the gateway; make test runs them")
	}
	t.Parallel()
	for _, sig := range []syscall.Signal{syscall.SIGTERM, syscall.SIGHUP} {
		t.Run(sig.String(), func(t *testing.T) {
			t.Parallel()
			r := startLongRun(t, "cli-"+strings.ToLower(strings.ReplaceAll(sig.String(), " ", "-")), "", "")
			if err := r.cmd.Process.Signal(sig); err != nil {
				t.Fatal(err)
			}
			if code := r.wait(t, 30*time.Second); code != exitCannotRun {
				t.Errorf("exit code %d after %v, want %d\nstderr:\n%s", code, sig, exitCannotRun, r.stderr.String())
			}
			reps, err := filepath.Glob(filepath.Join(r.out, "cli-*.json"))
			if err != nil || len(reps) != 1 {
				t.Fatalf("no report after %v: %v %v\nstderr:\n%s", sig, reps, err, r.stderr.String())
			}
			if rep := readReport(t, reps[0]); !rep.Interrupted {
				t.Errorf("the report is not marked interrupted: %+v", rep)
			}
			r.appGone(t)
		})
	}
}

// TestNothingOutlivesTheHarness: when llmchaos dies without cleaning up (SIGKILL, which
// stands for an out-of-memory kill or a crash, and SIGQUIT, whose goroutine dump exits
// 2), the app and the processes it started die with it. They used to keep running,
// orphaned.
func TestNothingOutlivesTheHarness(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: skipping the end-to-end runs of llmchaos killed mid-run; make test runs them")
	}
	t.Parallel()
	for _, sig := range []syscall.Signal{syscall.SIGKILL, syscall.SIGQUIT} {
		t.Run(sig.String(), func(t *testing.T) {
			t.Parallel()
			r := startLongRun(t, "cli-"+strings.ToLower(strings.ReplaceAll(sig.String(), " ", "-")), "", "")
			if err := r.cmd.Process.Signal(sig); err != nil {
				t.Fatal(err)
			}
			r.wait(t, 30*time.Second)
			r.appGone(t)
		})
	}
}

// TestASecondSignalForcesExit: after a first Ctrl-C llmchaos stops the run cleanly, which
// can take a while (here the app ignores SIGTERM, so it waits out the stop grace); a
// second one exits at once (exit 3), and the app still does not outlive it.
func TestASecondSignalForcesExit(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: skipping the end-to-end double Ctrl-C run; make test runs it")
	}
	t.Parallel()
	r := startLongRun(t, "cli-twice", "trap '' TERM;", "exec sleep 60")
	if err := r.cmd.Process.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	// The clean stop is now waiting out the app's stop grace (3 s): it ignores SIGTERM.
	time.Sleep(300 * time.Millisecond) // the second Ctrl-C comes from a person, a moment after the first
	second := time.Now()
	if err := r.cmd.Process.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	code := r.wait(t, 30*time.Second)
	if took := time.Since(second); code != exitCannotRun || took > 2*time.Second {
		t.Errorf("after a second SIGINT: exit %d after %v, want %d at once\nstderr:\n%s", code, took.Round(time.Millisecond), exitCannotRun, r.stderr.String())
	}
	if !strings.Contains(r.stderr.String(), "second signal") {
		t.Errorf("stderr does not say the second signal forced the exit:\n%s", r.stderr.String())
	}
	r.appGone(t)
}
