//go:build unix

// Package testapp is what the harness's tests share about the scripted app under test
// they start (testdata/sutapp, driven by SUTAPP_* environment variables): building it,
// reading the pids it prints, checking a process is gone, and a goroutine-safe buffer for
// its live output. Only tests import it.
package testapp

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
)

// Build builds testdata/sutapp into a temporary directory of t and returns its path.
func Build(t testing.TB) string {
	t.Helper()
	_, self, _, ok := runtime.Caller(0)
	if !ok {
		t.Fatal("testapp: cannot find its own source to build testdata/sutapp")
	}
	bin := filepath.Join(t.TempDir(), "sutapp")
	cmd := exec.Command("go", "build", "-o", bin, ".")
	cmd.Dir = filepath.Join(filepath.Dir(self), "testdata", "sutapp")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("build testdata/sutapp: %v\n%s", err, out)
	}
	return bin
}

// Alive reports whether pid is a live (not zombie) process.
func Alive(pid int) bool {
	if err := syscall.Kill(pid, 0); err != nil {
		return false
	}
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return false
	}
	// Format: pid (comm) STATE ...
	s := string(b)
	i := strings.LastIndexByte(s, ')')
	return i < 0 || i+2 >= len(s) || s[i+2] != 'Z'
}

// Pid finds "prefix N" in lines and returns N, 0 when no line has it.
func Pid(lines []string, prefix string) int {
	for _, l := range lines {
		if rest, ok := strings.CutPrefix(l, prefix); ok {
			if n, err := strconv.Atoi(strings.TrimSpace(rest)); err == nil {
				return n
			}
		}
	}
	return 0
}

// Buffer is a goroutine-safe bytes.Buffer.
type Buffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

// Write appends p.
func (b *Buffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

// String is what was written so far.
func (b *Buffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}
