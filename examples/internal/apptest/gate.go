package apptest

import (
	"io"
	"net"
	"sync"
	"testing"
)

// Gate is a TCP forwarder on loopback to a real service (a Redis) that a test can cut
// (every open connection closed, new ones closed as they are accepted) and restore: an
// outage of that service as the app sees it, without stopping the service.
type Gate struct {
	ln     net.Listener
	target string
	mu     sync.Mutex
	down   bool
	conns  map[net.Conn]struct{}
}

// NewGate returns an open Gate to target (host:port), closed when the test ends.
func NewGate(t testing.TB, target string) *Gate {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	g := &Gate{ln: ln, target: target, conns: map[net.Conn]struct{}{}}
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { defer wg.Done(); g.serve(&wg) }()
	t.Cleanup(func() {
		_ = ln.Close()
		g.Cut()
		wg.Wait()
	})
	return g
}

// Addr is the Gate's host:port: give it to the app in place of the target's.
func (g *Gate) Addr() string { return g.ln.Addr().String() }

// Cut closes every connection through the Gate and closes new ones until Restore.
func (g *Gate) Cut() {
	g.mu.Lock()
	g.down = true
	conns := g.conns
	g.conns = map[net.Conn]struct{}{}
	g.mu.Unlock()
	for c := range conns {
		_ = c.Close()
	}
}

// Restore lets connections through again.
func (g *Gate) Restore() {
	g.mu.Lock()
	g.down = false
	g.mu.Unlock()
}

func (g *Gate) serve(wg *sync.WaitGroup) {
	for {
		c, err := g.ln.Accept()
		if err != nil {
			return
		}
		if !g.track(c) {
			_ = c.Close()
			continue
		}
		up, err := net.Dial("tcp", g.target)
		if err != nil {
			g.drop(c)
			continue
		}
		if !g.track(up) {
			_ = up.Close()
			g.drop(c)
			continue
		}
		wg.Add(2)
		go func() { defer wg.Done(); _, _ = io.Copy(up, c); g.drop(up); g.drop(c) }()
		go func() { defer wg.Done(); _, _ = io.Copy(c, up); g.drop(c); g.drop(up) }()
	}
}

// track adds c to the open connections, unless the Gate is cut.
func (g *Gate) track(c net.Conn) bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.down {
		return false
	}
	g.conns[c] = struct{}{}
	return true
}

func (g *Gate) drop(c net.Conn) {
	g.mu.Lock()
	delete(g.conns, c)
	g.mu.Unlock()
	_ = c.Close()
}
