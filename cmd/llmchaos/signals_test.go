//go:build unix

package main

import (
	"bytes"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestGuardPanic: a panic in a command is an exit 3 with the panic on stderr, after the
// command's deferred cleanups ran (here: a flag standing for the app's stop).
func TestGuardPanic(t *testing.T) {
	var stderr bytes.Buffer
	stopped := false
	code := guardPanic(&stderr, func() int {
		defer func() { stopped = true }()
		panic("boom")
	})
	if code != exitCannotRun || !stopped || !strings.Contains(stderr.String(), "boom") {
		t.Fatalf("code %d, cleanup ran %v, stderr %q", code, stopped, stderr.String())
	}
	if code := guardPanic(&stderr, func() int { return exitBreached }); code != exitBreached {
		t.Fatalf("without a panic: code %d", code)
	}
}

// TestInterruptContext: the first stop signal cancels the context (a clean stop), the
// second exits at once with code 3; SIGHUP counts like SIGINT.
func TestInterruptContext(t *testing.T) {
	exited := make(chan int, 1)
	var stderr syncBuffer
	ctx, stop := interruptContext(&stderr, func(code int) { exited <- code })
	defer stop()
	if err := syscall.Kill(syscall.Getpid(), syscall.SIGHUP); err != nil {
		t.Fatal(err)
	}
	select {
	case <-ctx.Done():
	case <-time.After(10 * time.Second):
		t.Fatal("SIGHUP did not cancel the context")
	}
	if err := syscall.Kill(syscall.Getpid(), syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	select {
	case code := <-exited:
		if code != exitCannotRun {
			t.Fatalf("exit code %d", code)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("a second signal did not exit")
	}
	if !strings.Contains(stderr.String(), "second signal") {
		t.Fatalf("stderr: %q", stderr.String())
	}
	// The first signal's line is every subcommand's (a mock has no app and no report).
	if first, _, _ := strings.Cut(stderr.String(), "\n"); !strings.Contains(first, "hangup: stopping cleanly") || strings.Contains(first, "report") {
		t.Fatalf("the first signal's line: %q", first)
	}
}
