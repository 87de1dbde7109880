// Package redistest starts a real Redis (Debian's redis-server) for a test, on a free
// loopback port, with no persistence, and stops it when the test ends. When
// redis-server is not installed the test is skipped with a plain message, unless CI is
// true, where .ci/run installs it and its absence fails the test.
package redistest

import (
	"bufio"
	"fmt"
	"net"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"
)

// DefaultStartTimeout bounds the wait for redis-server to answer PING.
const DefaultStartTimeout = 10 * time.Second

// Available reports whether redis-server is on PATH, and its path.
func Available() (string, bool) {
	p, err := exec.LookPath("redis-server")
	return p, err == nil
}

// Require returns redis-server's path, or skips t plainly (fails it when CI=true).
func Require(t testing.TB) string {
	t.Helper()
	p, ok := Available()
	if ok {
		return p
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("redis-server is not installed, and CI=true requires it (.ci/run installs Debian's redis-server)")
	}
	t.Skip("redis-server is not installed: skipping this test, which needs a real Redis (apt-get install redis-server)")
	return ""
}

// Start starts redis-server on a free 127.0.0.1 port and returns its address
// (host:port); it is killed when t ends. Skips t when redis-server is missing (see Require).
func Start(t testing.TB) string {
	t.Helper()
	bin := Require(t)
	var lastErr error
	for range 3 { // the free port may be taken between picking and binding it: try again
		addr, err := start(t, bin)
		if err == nil {
			return addr
		}
		lastErr = err
	}
	t.Fatalf("redistest: %v", lastErr)
	return ""
}

func start(t testing.TB, bin string) (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	port := ln.Addr().(*net.TCPAddr).Port
	_ = ln.Close()
	cmd := exec.Command(bin, "--port", strconv.Itoa(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
		"--dir", t.TempDir(), "--protected-mode", "yes")
	var out strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		return "", fmt.Errorf("start redis-server: %w", err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	addr := net.JoinHostPort("127.0.0.1", strconv.Itoa(port))
	deadline := time.Now().Add(DefaultStartTimeout)
	for {
		if ping(addr) {
			t.Cleanup(func() {
				_ = cmd.Process.Kill()
				<-exited
			})
			return addr, nil
		}
		select {
		case err := <-exited:
			return "", fmt.Errorf("redis-server on port %d exited before it answered: %v\n%s", port, err, out.String())
		case <-time.After(20 * time.Millisecond): // polling a process's readiness: no event to wait on
		}
		if time.Now().After(deadline) {
			_ = cmd.Process.Kill()
			<-exited
			return "", fmt.Errorf("redis-server on port %d did not answer PING within %v\n%s", port, DefaultStartTimeout, out.String())
		}
	}
}

// ping reports whether a Redis answers PING at addr.
func ping(addr string) bool {
	c, err := net.DialTimeout("tcp", addr, time.Second)
	if err != nil {
		return false
	}
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(time.Second))
	if _, err := c.Write([]byte("PING\r\n")); err != nil {
		return false
	}
	line, err := bufio.NewReader(c).ReadString('\n')
	return err == nil && strings.HasPrefix(line, "+PONG")
}
