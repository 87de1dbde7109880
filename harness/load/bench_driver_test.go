package load

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"testing"
	"time"

	"github.com/llmchaos/llmchaos/harness/tmpl"
	vegeta "github.com/tsenart/vegeta/v12/lib"
)

// driverBenchDuration is how long each fidelity run sends load, and driverBenchWarmup how
// long each generator sends, unmeasured, before the measured runs at a rate.
const (
	driverBenchDuration = 2500 * time.Millisecond
	driverBenchWarmup   = 500 * time.Millisecond
)

// driverBenchRun is what one load generator did: when each request was due and when it
// actually started, in schedule order, and how many failed.
type driverBenchRun struct {
	due, started []time.Time
	failed       int
}

// report puts the achieved rate (requests over the span of their starts) and the
// lateness percentiles of the starts against the schedule on b.
func (r driverBenchRun) report(b *testing.B, rate int) {
	n := len(r.started)
	if n < 2 {
		b.Fatalf("only %d requests", n)
	}
	late := make([]time.Duration, n)
	for i := range n {
		late[i] = r.started[i].Sub(r.due[i])
	}
	slices.Sort(late)
	starts := slices.SortedFunc(slices.Values(r.started), time.Time.Compare)
	span := starts[n-1].Sub(starts[0])
	pct := func(p float64) float64 { return float64(late[int(p*float64(n-1))]) / float64(time.Microsecond) }
	b.ReportMetric(float64(n-1)/span.Seconds(), "achieved_rps")
	b.ReportMetric(pct(0.50), "p50_lateness_us")
	b.ReportMetric(pct(0.99), "p99_lateness_us")
	b.ReportMetric(pct(1), "max_lateness_us")
	b.ReportMetric(float64(r.failed), "failed")
	b.ReportMetric(float64(n), "sent")
}

// driverBenchLlmchaos runs the Driver at rate against url for dur.
func driverBenchLlmchaos(b *testing.B, url string, rate int, dur time.Duration) driverBenchRun {
	d, err := NewDriver(Spec{Rate: float64(rate), Request: Request{Protocol: ProtocolHTTP}}, url, tmpl.Data{Scenario: "bench"})
	if err != nil {
		b.Fatal(err)
	}
	rec := NewRecorder() // the sink a scenario run uses
	if err := d.Run(context.Background(), time.Now(), dur, nil, rec.Record); err != nil {
		b.Fatal(err)
	}
	var r driverBenchRun
	for _, s := range rec.Samples() {
		if !s.OK() {
			r.failed++
			if s.Started().IsZero() {
				continue
			}
		}
		r.due, r.started = append(r.due, s.Scheduled), append(r.started, s.Started())
	}
	return r
}

// driverBenchVegeta runs vegeta at rate against url for dur. Vegeta's pacer sends hit i at
// began + (i+1)/rate, began being read right after our t0; a result's Timestamp is when
// its worker took the hit, just before building and sending it (like Sample.Started).
func driverBenchVegeta(b *testing.B, url string, rate int, dur time.Duration) driverBenchRun {
	atk := vegeta.NewAttacker()
	tr := vegeta.NewStaticTargeter(vegeta.Target{Method: http.MethodGet, URL: url + "/"})
	interval := time.Second / time.Duration(rate)
	var res []*vegeta.Result
	t0 := time.Now()
	for x := range atk.Attack(tr, vegeta.Rate{Freq: rate, Per: time.Second}, dur, "bench") {
		res = append(res, x)
	}
	slices.SortFunc(res, func(x, y *vegeta.Result) int { return int(x.Seq) - int(y.Seq) })
	var r driverBenchRun
	for _, x := range res {
		if x.Code != http.StatusOK {
			r.failed++
		}
		r.due = append(r.due, t0.Add(time.Duration(x.Seq+1)*interval))
		r.started = append(r.started, x.Timestamp)
	}
	return r
}

// BenchmarkDriverFidelity compares the Driver with vegeta, in the same run, against a fast
// local handler at 1,000 and 5,000 requests/s: achieved rate and how late each request
// started against its schedule. Before the measured runs at a rate, both generators send
// at that rate for driverBenchWarmup, unmeasured: whichever ran first at a new rate met
// the process's heap and collector still paced for the rate before, and the first of the
// pair was the worse in most of the pairs it lost (BENCHMARKS.md, the driver's tail).
// Run: go test -run '^$' -bench DriverFidelity -benchtime 1x ./harness/load/
func BenchmarkDriverFidelity(b *testing.B) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		_, _ = w.Write([]byte("ok"))
	}))
	defer srv.Close()
	gens := []struct {
		name string
		run  func(*testing.B, string, int, time.Duration) driverBenchRun
	}{{"llmchaos", driverBenchLlmchaos}, {"vegeta", driverBenchVegeta}}
	for _, rate := range []int{1000, 5000} {
		for _, g := range gens {
			g.run(b, srv.URL, rate, driverBenchWarmup)
		}
		for _, g := range gens {
			b.Run(fmt.Sprintf("rate=%d/%s", rate, g.name), func(b *testing.B) {
				var last driverBenchRun
				for range b.N {
					last = g.run(b, srv.URL, rate, driverBenchDuration)
				}
				last.report(b, rate)
			})
		}
	}
}
