//go:build unix

package scenarios

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// loadWithin runs load in a goroutine and fails the test when it does not return within a
// generous bound: a loader that blocks (a FIFO) or reads forever (/dev/zero) fails here
// instead of hanging the test binary. unblock is called on timeout to free the goroutine.
func loadWithin(t *testing.T, load func() error, unblock func()) error {
	t.Helper()
	done := make(chan error, 1)
	go func() { done <- load() }()
	select {
	case err := <-done:
		return err
	case <-time.After(20 * time.Second):
		if unblock != nil {
			unblock()
		}
		t.Fatal("the loader did not return within 20s: it blocked on, or kept reading, a file that is not a regular file")
		return nil
	}
}

// unblockFIFO opens path for writing without blocking, so a reader stuck in open(2) on it
// returns; the write end is closed at once (the reader then reads EOF).
func unblockFIFO(path string) func() {
	return func() {
		if f, err := os.OpenFile(path, os.O_WRONLY|syscall.O_NONBLOCK, 0); err == nil {
			_ = f.Close()
		}
	}
}

// wantNotRegular checks err is an *Error naming path and saying it is not a regular file.
func wantNotRegular(t *testing.T, err error, path string) {
	t.Helper()
	var se *Error
	if !errors.As(err, &se) || se.File != path || !strings.Contains(se.Msg, "not a regular file") {
		t.Fatalf("got %v, want an *Error for %s saying it is not a regular file", err, path)
	}
}

// TestLoadRefusesAFIFO: a FIFO named like a scenario is refused without being opened,
// alone or inside a folder; the loader never blocks on it.
func TestLoadRefusesAFIFO(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "f.yaml")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Skipf("mkfifo: %v (this filesystem has no FIFOs)", err)
	}
	wantNotRegular(t, loadWithin(t, func() error { _, err := Load(fifo); return err }, unblockFIFO(fifo)), fifo)
	wantNotRegular(t, loadWithin(t, func() error { _, err := LoadPaths(dir); return err }, unblockFIFO(fifo)), fifo)
}

// TestLoadRefusesDevices: /dev/zero, given directly or through a symlink named like a
// scenario, is refused (it would be read until the process runs out of memory).
func TestLoadRefusesDevices(t *testing.T) {
	if _, err := os.Stat("/dev/zero"); err != nil {
		t.Skip("no /dev/zero on this system")
	}
	link := filepath.Join(t.TempDir(), "z.yaml")
	if err := os.Symlink("/dev/zero", link); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{"/dev/zero", link} {
		wantNotRegular(t, loadWithin(t, func() error { _, err := Load(p); return err }, nil), p)
	}
}

// TestLoadRefusesAnOversizedFile: a file above DefaultMaxScenarioBytes is refused, the
// error naming the file and the limit; a symlink to a good file still loads.
func TestLoadRefusesAnOversizedFile(t *testing.T) {
	dir := t.TempDir()
	big := filepath.Join(dir, "big.yaml")
	f, err := os.Create(big)
	if err != nil {
		t.Fatal(err)
	}
	// A sparse file: its size is what counts, no need to write 16 MiB.
	if err := f.Truncate(DefaultMaxScenarioBytes + 1); err != nil {
		t.Fatal(err)
	}
	_ = f.Close()
	err = loadWithin(t, func() error { _, err := Load(big); return err }, nil)
	var se *Error
	limit := fmt.Sprint(DefaultMaxScenarioBytes)
	if !errors.As(err, &se) || se.File != big || !strings.Contains(se.Msg, limit) {
		t.Fatalf("got %v, want an *Error for %s naming the %s-byte limit", err, big, limit)
	}

	good := filepath.Join(dir, "good.yaml")
	if err := os.WriteFile(good, []byte(goodScenario), 0o644); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "link.yaml")
	if err := os.Symlink(good, link); err != nil {
		t.Fatal(err)
	}
	if _, err := Load(link); err != nil {
		t.Fatalf("a symlink to a regular file: %v", err)
	}
}
