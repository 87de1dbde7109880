package harness

import (
	"bufio"
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/llmchaos/llmchaos/harness/fault"

	"go.uber.org/goleak"
)

// faultTestCase applies one network fault and checks that traffic through the proxy
// shows it (hit) and that revert restores it (restored).
type faultTestCase struct {
	name  string
	fault fault.Fault
	// leaks lists goroutines a Toxiproxy bug leaves behind for this fault.
	leaks []goleak.Option
	kind  string
	hit   func(t *testing.T, u *Upstream)
	// restored defaults to a plain request answering 200.
	restored func(t *testing.T, u *Upstream)
}

func faultTestNetworkCases() []faultTestCase {
	return []faultTestCase{
		{
			name: "down refuses new connections and closes open ones", fault: &fault.Down{}, kind: "down",
			hit: func(t *testing.T, u *Upstream) {
				_, err := net.DialTimeout("tcp", strings.TrimPrefix(u.URL, "http://"), 2*time.Second)
				if !errors.Is(err, syscall.ECONNREFUSED) {
					t.Errorf("dial while down: %v, want ECONNREFUSED", err)
				}
			},
		},
		{
			name: "latency delays the answer", fault: &fault.Latency{Latency: 300 * time.Millisecond, Jitter: 10 * time.Millisecond}, kind: "latency",
			hit: func(t *testing.T, u *Upstream) {
				if d := faultTestTimedGet(t, u, "/"); d < 280*time.Millisecond {
					t.Errorf("request took %v with 300ms latency", d)
				}
			},
			restored: func(t *testing.T, u *Upstream) {
				if d := faultTestTimedGet(t, u, "/"); d >= 280*time.Millisecond {
					t.Errorf("request took %v after the latency was reverted", d)
				}
			},
		},
		{
			name: "blackhole accepts and never answers", fault: &fault.Blackhole{}, kind: "blackhole",
			hit: func(t *testing.T, u *Upstream) {
				_, _, err := envTestGet(envTestClient(t, 300*time.Millisecond, false), u.URL+"/")
				if !envTestIsTimeout(err) {
					t.Errorf("request through blackhole: %v, want a timeout", err)
				}
			},
		},
		{
			name: "reset gives ECONNRESET", fault: &fault.Reset{}, kind: "reset",
			hit: func(t *testing.T, u *Upstream) {
				_, _, err := envTestGet(envTestClient(t, 2*time.Second, false), u.URL+"/")
				if !errors.Is(err, syscall.ECONNRESET) {
					t.Errorf("request through reset: %v, want ECONNRESET", err)
				}
			},
		},
		{
			name: "bandwidth slows a large answer", fault: &fault.Bandwidth{KBps: 100}, kind: "bandwidth",
			hit: func(t *testing.T, u *Upstream) {
				if d := faultTestTimedGet(t, u, "/?n=60000"); d < 400*time.Millisecond {
					t.Errorf("60 KB at 100 KB/s took %v", d)
				}
			},
			restored: func(t *testing.T, u *Upstream) {
				if d := faultTestTimedGet(t, u, "/?n=60000"); d >= 400*time.Millisecond {
					t.Errorf("60 KB took %v after the bandwidth limit was reverted", d)
				}
			},
		},
		{
			name: "slow-close delays the close", fault: &fault.SlowClose{Delay: 400 * time.Millisecond}, kind: "slow-close",
			hit: func(t *testing.T, u *Upstream) {
				if d := faultTestReadToClose(t, u); d < 380*time.Millisecond {
					t.Errorf("close reached the client after %v with a 400ms slow close", d)
				}
			},
			restored: func(t *testing.T, u *Upstream) {
				if d := faultTestReadToClose(t, u); d >= 380*time.Millisecond {
					t.Errorf("close reached the client after %v once reverted", d)
				}
			},
		},
		{
			name: "slicer fragments and paces the answer", fault: &fault.Slicer{AvgSize: 100, SizeVariation: 20, Delay: 10 * time.Millisecond}, kind: "slicer",
			hit: func(t *testing.T, u *Upstream) {
				// 4 KB in slices of at most 120 bytes, 10ms apart: at least 33 slices, >= 320ms.
				if d := faultTestTimedGet(t, u, "/?n=4000"); d < 300*time.Millisecond {
					t.Errorf("4 KB sliced into ~100 B pieces 10ms apart took only %v", d)
				}
			},
			restored: func(t *testing.T, u *Upstream) {
				if d := faultTestTimedGet(t, u, "/?n=4000"); d >= 300*time.Millisecond {
					t.Errorf("4 KB took %v after the slicer was reverted", d)
				}
			},
		},
		{
			name: "limit-data cuts the answer", fault: &fault.LimitData{Bytes: 1000}, kind: "limit-data", leaks: envTestLimitDataLeak,
			hit: func(t *testing.T, u *Upstream) {
				_, body, err := envTestGet(envTestClient(t, 2*time.Second, false), u.URL+"/?n=10000")
				if err == nil || len(body) >= 1000 {
					t.Errorf("10 KB answer through a 1000-byte limit: %d bytes, err %v; want it cut", len(body), err)
				}
			},
			restored: func(t *testing.T, u *Upstream) {
				_, body, err := envTestGet(envTestClient(t, 2*time.Second, false), u.URL+"/?n=10000")
				if err != nil || len(body) != len("served-by ")+len(u.Name)+10000 {
					t.Errorf("after revert: %d bytes, err %v", len(body), err)
				}
			},
		},
		{
			name: "upstream latency delays the request", fault: &fault.Latency{Latency: 300 * time.Millisecond, Direction: fault.DirUpstream}, kind: "latency",
			hit: func(t *testing.T, u *Upstream) {
				if d := faultTestTimedGet(t, u, "/"); d < 280*time.Millisecond {
					t.Errorf("request took %v with 300ms upstream latency", d)
				}
			},
		},
	}
}

func TestFaultNetworkHitsTrafficAndReverts(t *testing.T) {
	for _, b := range envTestBackends {
		t.Run(b.name, func(t *testing.T) {
			for _, tc := range faultTestNetworkCases() {
				t.Run(tc.name, func(t *testing.T) {
					envTestLeakCheck(t, tc.leaks...)
					env := envTestNew(t, b.opts(t), "primary")
					u, _ := env.Upstream("primary")
					if tc.fault.Kind() != tc.kind {
						t.Errorf("Kind() = %q, want %q", tc.fault.Kind(), tc.kind)
					}
					if !strings.HasPrefix(tc.fault.String(), tc.kind) {
						t.Errorf("String() = %q, want it to start with %q", tc.fault.String(), tc.kind)
					}
					envTestMustServe(t, envTestClient(t, 5*time.Second, false), u)
					revert, err := tc.fault.Apply(context.Background(), u.Target())
					if err != nil {
						t.Fatalf("Apply: %v", err)
					}
					tc.hit(t, u)
					if err := revert(); err != nil {
						t.Fatalf("revert: %v", err)
					}
					if tc.restored != nil {
						tc.restored(t, u)
					}
					envTestMustServe(t, envTestClient(t, 5*time.Second, false), u)
				})
			}
		})
	}
}

// TestFaultNetworkHitsKeepAliveConnections shows faults reach a connection the client
// opened before the fault started (a SUT's pooled connection).
func TestFaultNetworkHitsKeepAliveConnections(t *testing.T) {
	for _, b := range envTestBackends {
		t.Run(b.name, func(t *testing.T) {
			envTestLeakCheck(t)
			env := envTestNew(t, b.opts(t), "primary")
			u, _ := env.Upstream("primary")
			cases := []struct {
				fault fault.Fault
				check func(err error) bool
				want  string
			}{
				{&fault.Down{}, func(err error) bool { return err != nil }, "a connection error"},
				{&fault.Blackhole{}, envTestIsTimeout, "a timeout"},
				{&fault.Reset{DropOpen: true}, func(err error) bool { return errors.Is(err, syscall.ECONNRESET) }, "ECONNRESET"},
			}
			for _, tc := range cases {
				c := envTestClient(t, 500*time.Millisecond, true)
				var conns int
				trace := c.Transport.(*http.Transport)
				trace.DialContext = func(ctx context.Context, network, addr string) (net.Conn, error) {
					conns++
					return (&net.Dialer{}).DialContext(ctx, network, addr)
				}
				envTestMustServe(t, c, u)
				revert, err := tc.fault.Apply(context.Background(), u.Target())
				if err != nil {
					t.Fatalf("%s: %v", tc.fault, err)
				}
				_, _, err = envTestGet(c, u.URL+"/")
				if !tc.check(err) {
					t.Errorf("%s on a pooled connection: %v, want %s", tc.fault, err, tc.want)
				}
				if err := revert(); err != nil {
					t.Fatal(err)
				}
				envTestMustServe(t, c, u)
				if conns < 2 {
					t.Errorf("%s: the client dialled %d times; the pooled connection should have been dropped", tc.fault, conns)
				}
			}
		})
	}
}

func TestFaultNetworkRejectsBadParameters(t *testing.T) {
	envTestLeakCheck(t)
	env := envTestNew(t, nil, "primary")
	u, _ := env.Upstream("primary")
	for _, f := range []fault.Fault{
		&fault.Latency{Latency: -time.Second},
		&fault.Bandwidth{},
		&fault.Slicer{AvgSize: 10, SizeVariation: 10},
		&fault.LimitData{Bytes: -1},
		&fault.SlowClose{Delay: -1},
		&fault.Reset{After: -1},
		&fault.Latency{Latency: time.Millisecond, Direction: "sideways"},
		&fault.Blackhole{Toxicity: 2},
	} {
		if revert, err := f.Apply(context.Background(), u.Target()); err == nil {
			_ = revert()
			t.Errorf("%s applied; want an error", f)
		}
	}
	if _, err := (&fault.Down{}).Apply(context.Background(), &fault.Target{Name: "x"}); err == nil {
		t.Error("down on an upstream without proxy applied")
	}
}

// faultTestTimedGet GETs path through u's proxy on a fresh connection, requires a whole
// 200 answer, and returns how long it took.
func faultTestTimedGet(t *testing.T, u *Upstream, path string) time.Duration {
	t.Helper()
	start := time.Now()
	st, _, err := envTestGet(envTestClient(t, 10*time.Second, false), u.URL+path)
	d := time.Since(start)
	if err != nil || st != 200 {
		t.Fatalf("GET %s: %d %v", path, st, err)
	}
	return d
}

// faultTestReadToClose sends one request asking the mock to close the connection and
// returns how long until the client saw the close.
func faultTestReadToClose(t *testing.T, u *Upstream) time.Duration {
	t.Helper()
	conn, err := net.DialTimeout("tcp", strings.TrimPrefix(u.URL, "http://"), 2*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(5 * time.Second))
	start := time.Now()
	if _, err := io.WriteString(conn, "GET /?close=1 HTTP/1.1\r\nHost: x\r\n\r\n"); err != nil {
		t.Fatal(err)
	}
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if _, err := conn.Read(make([]byte, 1)); err != io.EOF {
		t.Fatalf("after the answer: %v, want EOF", err)
	}
	return time.Since(start)
}
