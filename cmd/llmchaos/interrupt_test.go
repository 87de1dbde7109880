//go:build unix

package main

import (
	"bufio"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestRunCtrlCWritesAPartialReport: SIGINT to `llmchaos run` in the middle of a long
// phase stops the run within seconds with exit code 3, a report marked interrupted, the
// app gone, and stderr saying so.
func TestRunCtrlCWritesAPartialReport(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: skipping the end-to-end Ctrl-C run of llmchaos against the gateway; make test runs it")
	}
	t.Parallel()
	llmchaos := binary(t, "./cmd/llmchaos")
	gateway := binary(t, "./examples/gateway")
	dir := t.TempDir()
	pidFile := filepath.Join(dir, "app.pid")
	file := writeScenario(t, dir, scenarioSpec{
		Name:    "cli-interrupt",
		Command: []string{"/bin/sh", "-c", "echo $$ > " + pidFile + "; exec " + gateway},
		Timeline: []string{
			"{phase: steady, for: 1s}",
			"{phase: outage, for: 60s, faults: [{upstream: primary, type: down}]}",
			"{phase: recovery, for: 10s}",
		},
		SLOs: []string{"availability(outage) >= 0.95"},
	})
	out := filepath.Join(dir, "report")

	cmd := exec.Command(llmchaos, "run", "--progress", "plain", "--out", out, file)
	var stderr syncBuffer
	cmd.Stderr = &stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill() }) // if the test fails before it exits
	lines := make(chan string, 64)
	go func() {
		defer close(lines)
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			lines <- sc.Text()
		}
	}()

	// A plain progress line is printed when its phase ends: the steady line means the
	// run is in its second phase.
	var seen []string
	deadline := time.After(60 * time.Second)
	for waiting := true; waiting; {
		select {
		case l, ok := <-lines:
			if !ok {
				t.Fatalf("llmchaos ended before the second phase\nstdout:\n%s\nstderr:\n%s", strings.Join(seen, "\n"), stderr.String())
			}
			seen = append(seen, l)
			waiting = !progressRE.MatchString(l) || !strings.Contains(l, "phase steady")
		case <-deadline:
			t.Fatalf("no steady progress line within 60s\nstdout:\n%s\nstderr:\n%s", strings.Join(seen, "\n"), stderr.String())
		}
	}
	pid := appPID(t, pidFile)
	t.Cleanup(func() { // if the test fails with the app left behind: the app leads its process group
		if alive(pid) {
			_ = syscall.Kill(-pid, syscall.SIGKILL)
		}
	})

	signalled := time.Now()
	if err := cmd.Process.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	const exitWithin = 15 * time.Second // the app gets SIGTERM and a grace period; -race is slow
	exitDeadline := time.After(exitWithin)
	for open := true; open; {
		select {
		case l, ok := <-lines:
			if ok {
				seen = append(seen, l)
			}
			open = ok
		case <-exitDeadline:
			t.Fatalf("llmchaos did not exit within %v of SIGINT\nstdout:\n%s\nstderr:\n%s", exitWithin, strings.Join(seen, "\n"), stderr.String())
		}
	}
	err = cmd.Wait()
	took := time.Since(signalled)
	t.Logf("llmchaos exited %v after SIGINT", took.Round(time.Millisecond))
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != exitCannotRun {
		t.Errorf("exit: %v, want exit code %d", err, exitCannotRun)
	}
	text := strings.Join(seen, "\n")
	if !strings.Contains(stderr.String(), "interrupted") {
		t.Errorf("stderr does not say interrupted:\n%s", stderr.String())
	}
	if !strings.Contains(text, "cli-interrupt            INTERRUPTED") || !strings.Contains(text, "reports: "+out) {
		t.Errorf("stdout does not show the interrupted verdict and the reports:\n%s", text)
	}

	rep := readReport(t, filepath.Join(out, "cli-interrupt.json"))
	if !rep.Interrupted || rep.Verdict != "fail" {
		t.Errorf("report: interrupted %v verdict %q, want interrupted and fail", rep.Interrupted, rep.Verdict)
	}
	var phases []string
	for _, p := range rep.Phases {
		phases = append(phases, p.Name)
	}
	if len(phases) < 2 || phases[0] != "steady" || phases[1] != "outage" {
		t.Errorf("report phases %q, want steady and the interrupted outage first", phases)
	}
	for _, name := range []string{"summary.json", "index.html", "report.md", "junit.xml"} {
		if _, err := os.Stat(filepath.Join(out, name)); err != nil {
			t.Error(err)
		}
	}
	if junit := readFile(t, filepath.Join(out, "junit.xml")); !strings.Contains(junit, `type="Interrupted"`) {
		t.Errorf("junit.xml does not mark the run interrupted:\n%s", junit)
	}
	if alive(pid) {
		t.Errorf("the app (pid %d) is still running after llmchaos exited", pid)
	}
}

// appPID reads the pid the scenario's wrapper wrote (before it exec'd the app).
func appPID(t *testing.T, path string) int {
	t.Helper()
	pid, err := strconv.Atoi(strings.TrimSpace(readFile(t, path)))
	if err != nil || pid <= 0 {
		t.Fatalf("pid file %s: %v", path, err)
	}
	return pid
}

// alive reports whether pid is a running process (a zombie waiting to be reaped by init
// is not running).
func alive(pid int) bool {
	if err := syscall.Kill(pid, 0); errors.Is(err, syscall.ESRCH) {
		return false
	}
	stat, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return !os.IsNotExist(err)
	}
	// /proc/PID/stat: "pid (comm) state ..."; comm may hold spaces, so cut at the last ')'.
	s := string(stat)
	if i := strings.LastIndexByte(s, ')'); i >= 0 && i+2 < len(s) {
		return s[i+2] != 'Z'
	}
	return true
}
