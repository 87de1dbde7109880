package harness

import (
	"context"
	"errors"
	"net"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/llmchaos/llmchaos/harness/fault"
)

// benchFaultReport reports the p50 and p99 of samples, in milliseconds.
func benchFaultReport(b *testing.B, samples []time.Duration, prefix string) {
	b.Helper()
	if len(samples) == 0 {
		return
	}
	slices.Sort(samples)
	at := func(q float64) float64 {
		i := int(q * float64(len(samples)-1))
		return float64(samples[i]) / float64(time.Millisecond)
	}
	b.ReportMetric(at(0.50), prefix+"p50-ms")
	b.ReportMetric(at(0.99), prefix+"p99-ms")
}

// BenchmarkFaultTakesEffect measures from the instant a fault is applied (a phase
// boundary) until a client request through the proxy observes it: a refused connection
// for down, a 503 for a status fault, a timeout for a blackhole. Goal: p99 < 10 ms.
func BenchmarkFaultTakesEffect(b *testing.B) {
	for _, be := range envTestBackends {
		for _, tc := range []struct {
			name     string
			fault    fault.Fault
			observed func(u *Upstream) bool
		}{
			{"down", &fault.Down{}, func(u *Upstream) bool {
				c, err := net.DialTimeout("tcp", strings.TrimPrefix(u.URL, "http://"), time.Second)
				if err == nil {
					c.Close()
				}
				return errors.Is(err, syscall.ECONNREFUSED)
			}},
			{"status", fault.Status(503), nil},
			{"latency", &fault.Latency{Latency: 20 * time.Millisecond}, nil},
		} {
			b.Run(be.name+"/"+tc.name, func(b *testing.B) {
				env := envTestNew(b, be.opts(b), "primary")
				u, _ := env.Upstream("primary")
				c := envTestClient(b, 2*time.Second, true)
				observed := tc.observed
				switch tc.name {
				case "status":
					observed = func(u *Upstream) bool { code, _, _ := envTestGet(c, u.URL+"/"); return code == 503 }
				case "latency":
					observed = func(u *Upstream) bool {
						t0 := time.Now()
						code, _, _ := envTestGet(c, u.URL+"/")
						return code == 200 && time.Since(t0) >= 20*time.Millisecond
					}
				}
				samples := make([]time.Duration, 0, b.N)
				b.ResetTimer()
				for i := 0; i < b.N; i++ {
					start := time.Now()
					revert, err := tc.fault.Apply(context.Background(), u.Target())
					if err != nil {
						b.Fatal(err)
					}
					for !observed(u) {
						if time.Since(start) > 5*time.Second {
							b.Fatalf("%s not observed after 5s", tc.fault)
						}
					}
					samples = append(samples, time.Since(start))
					b.StopTimer()
					if err := revert(); err != nil {
						b.Fatal(err)
					}
					envTestMustServe(b, c, u)
					b.StartTimer()
				}
				b.StopTimer()
				benchFaultReport(b, samples, "effect-")
			})
		}
	}
}

// BenchmarkProxyOverhead compares one keep-alive GET to the same mock directly and
// through the embedded Toxiproxy with no toxics: the latency the proxy path adds.
func BenchmarkProxyOverhead(b *testing.B) {
	env := envTestNew(b, nil, "primary")
	u, _ := env.Upstream("primary")
	for _, side := range []struct{ name, url string }{{"direct", u.MockURL}, {"proxy", u.URL}} {
		b.Run(side.name, func(b *testing.B) {
			c := envTestClient(b, 2*time.Second, true)
			for i := 0; i < 20; i++ { // warm the connection
				if code, _, err := envTestGet(c, side.url+"/?n=512"); err != nil || code != 200 {
					b.Fatal(code, err)
				}
			}
			samples := make([]time.Duration, 0, b.N)
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				t0 := time.Now()
				code, _, err := envTestGet(c, side.url+"/?n=512")
				samples = append(samples, time.Since(t0))
				if err != nil || code != 200 {
					b.Fatal(code, err)
				}
			}
			b.StopTimer()
			benchFaultReport(b, samples, "")
		})
	}
}
