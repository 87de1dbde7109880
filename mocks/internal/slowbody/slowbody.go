// Package slowbody is test support for the mocks: clients that declare a large request
// body and trickle it a byte at a time (a slow-body attack), to check that a mock cuts
// them off and does not reserve memory for what they declared.
package slowbody

import (
	"fmt"
	"net"
	"strings"
	"sync"
	"testing"
	"time"
)

// Request is what each slow connection sends: a POST to Path with Headers and
// Content-Length: Declared, then Prefix at once, then one space every Interval.
type Request struct {
	Path     string
	Headers  map[string]string
	Declared int
	Prefix   []byte
	Interval time.Duration
}

// Trickle opens n connections to addr, each sending req, until the server ends the
// exchange (it answers or closes the connection) or the test ends. The returned channel
// receives one value per connection whose exchange the server ended. The connections are
// closed when the test ends.
func Trickle(t testing.TB, addr string, req Request, n int) <-chan struct{} {
	t.Helper()
	ended := make(chan struct{}, n)
	stop := make(chan struct{})
	var wg sync.WaitGroup
	var conns []net.Conn
	for range n {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatalf("dial %s: %v", addr, err)
		}
		conns = append(conns, c)
		var h strings.Builder
		fmt.Fprintf(&h, "POST %s HTTP/1.1\r\nHost: %s\r\nContent-Length: %d\r\n", req.Path, addr, req.Declared)
		for k, v := range req.Headers {
			fmt.Fprintf(&h, "%s: %s\r\n", k, v)
		}
		h.WriteString("\r\n")
		h.Write(req.Prefix)
		if _, err := c.Write([]byte(h.String())); err != nil {
			t.Fatalf("write headers: %v", err)
		}
		wg.Go(func() { // the trickle
			tick := time.NewTicker(req.Interval)
			defer tick.Stop()
			for {
				select {
				case <-stop:
					return
				case <-tick.C:
				}
				if _, err := c.Write([]byte(" ")); err != nil {
					return
				}
			}
		})
		wg.Go(func() { // the server's end of the exchange
			var b [1]byte
			if _, err := c.Read(b[:]); err == nil || !stopped(stop) {
				ended <- struct{}{}
			}
		})
	}
	t.Cleanup(func() {
		close(stop)
		for _, c := range conns {
			_ = c.Close()
		}
		wg.Wait()
	})
	return ended
}

// stopped reports whether the test is closing the connections (a read error then is ours).
func stopped(stop <-chan struct{}) bool {
	select {
	case <-stop:
		return true
	default:
		return false
	}
}

// Await waits until n exchanges ended, failing the test after within.
func Await(t testing.TB, ended <-chan struct{}, n int, within time.Duration) {
	t.Helper()
	deadline := time.After(within)
	for i := range n {
		select {
		case <-ended:
		case <-deadline:
			t.Fatalf("after %v only %d of %d slow-body connections were cut off by the server: a mock must bound how long it waits for a body", within, i, n)
		}
	}
}
