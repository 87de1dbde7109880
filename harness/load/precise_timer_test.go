package load

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"runtime"
	"runtime/debug"
	"testing"
	"time"

	"github.com/llmchaos/llmchaos/harness/tmpl"
)

// preciseTimerSlack is how late a wake may be on a loaded 2-core machine.
const preciseTimerSlack = 50 * time.Millisecond

func TestPreciseTimerWakesAtTheInstant(t *testing.T) {
	pt, err := newPreciseTimer()
	if err != nil {
		t.Fatal(err)
	}
	defer pt.close()
	for _, d := range []time.Duration{0, 50 * time.Microsecond, 300 * time.Microsecond, 2 * time.Millisecond} {
		for range 50 {
			at := time.Now().Add(d)
			pt.wait(at)
			woke := time.Now()
			if woke.Before(at) {
				t.Fatalf("wait(%v ahead) returned %v early", d, at.Sub(woke))
			}
			if late := woke.Sub(at); late > preciseTimerSlack {
				t.Fatalf("wait(%v ahead) returned %v late, want under %v", d, late, preciseTimerSlack)
			}
		}
	}
	past := time.Now().Add(-time.Second)
	began := time.Now()
	pt.wait(past)
	if took := time.Since(began); took > preciseTimerSlack {
		t.Fatalf("wait for an instant in the past took %v, want at once", took)
	}
}

// TestDriverClosesItsTimer: a Run releases the timer it waits on (on Linux a timerfd), so
// many runs do not leak descriptors.
func TestDriverClosesItsTimer(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("counts /proc/self/fd, which only Linux has")
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {}))
	defer srv.Close()
	d, err := NewDriver(Spec{Rate: 2000, Request: Request{Protocol: ProtocolHTTP}}, srv.URL, tmpl.Data{Scenario: "fd"})
	if err != nil {
		t.Fatal(err)
	}
	timerfds := func() int {
		es, err := os.ReadDir("/proc/self/fd")
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, e := range es {
			if l, err := os.Readlink("/proc/self/fd/" + e.Name()); err == nil && l == "anon_inode:[timerfd]" {
				n++
			}
		}
		return n
	}
	run := func() {
		if err := d.Run(context.Background(), time.Now(), 5*time.Millisecond, nil, nil); err != nil {
			t.Fatal(err)
		}
	}
	// No collection during the runs: an os.File's finalizer would close a leaked timerfd.
	defer debug.SetGCPercent(debug.SetGCPercent(-1))
	before := timerfds()
	for range 30 {
		run()
	}
	if after := timerfds(); after != before {
		t.Fatalf("30 runs left %d timerfds open (%d before, %d after): the driver's timer is not closed", after-before, before, after)
	}
}
