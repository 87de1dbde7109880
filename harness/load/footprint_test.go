package load

import (
	"fmt"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/llmchaos/llmchaos/mocks/llm"
)

// maxBytesPerSample is the goal for a recorded sample's memory (issue 14: a 1,000,000/s
// run of 2 s took 4 GB, about 2 KB per sample).
const maxBytesPerSample = 200

// footprintSamples records n samples shaped as the driver makes them into a new Recorder:
// a correlation id per request, the served-by name read from a whole mock answer (the
// answer text it was read from must not be kept), a phase name, and for one in ten an
// error message; it returns the recorder and the heap bytes it holds per sample.
func footprintSamples(n int) (*Recorder, float64) {
	d := &Driver{idPrefix: "provider-dropout"}
	phases := []string{"steady", "outage", "recovery"}
	start := time.Now()
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	rec := NewRecorder()
	for i := range n {
		id := d.ID(i)
		at := start.Add(time.Duration(i) * time.Millisecond)
		s := Sample{Seq: i, ID: id, Phase: phases[i%3], Scheduled: at, Status: 200, Outcome: OutcomeOK, Bytes: 812}
		s.SetStarted(at.Add(50 * time.Microsecond))
		s.SetFirstToken(at.Add(2 * time.Millisecond))
		s.SetEnded(at.Add(3 * time.Millisecond))
		answer := strings.Join(llm.Tokens(1, "primary", id, 24), "")
		s.ServedBy = llm.ServedBy(answer)
		if i%10 == 0 {
			s.Status, s.Outcome = 503, OutcomeHTTPError
			s.Error = fmt.Sprintf("HTTP %d: %s", 503, `{"error":{"message":"primary: injected fault: status 503","type":"server_error"}}`)
		}
		rec.Record(s)
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	return rec, float64(int64(after.HeapAlloc)-int64(before.HeapAlloc)) / float64(n)
}

// TestSampleFootprint: a recorded sample takes at most maxBytesPerSample bytes of memory,
// everything it holds included (its id, its strings), measured over 100,000 samples.
func TestSampleFootprint(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: skipping the 100,000-sample memory measurement; make test runs it")
	}
	rec, per := footprintSamples(100_000)
	if got := len(rec.Samples()); got != 100_000 {
		t.Fatalf("recorded %d samples", got)
	}
	if per > maxBytesPerSample {
		t.Fatalf("a recorded sample takes %.0f bytes, over the %d-byte goal", per, maxBytesPerSample)
	}
	t.Logf("%.0f bytes per recorded sample", per)
	runtime.KeepAlive(rec)
}

// BenchmarkSampleFootprint reports the memory a recorded sample takes (bytes/sample), over
// 100,000 samples per iteration. Run: go test -run '^$' -bench SampleFootprint -benchtime 3x ./harness/load/
func BenchmarkSampleFootprint(b *testing.B) {
	var per float64
	for range b.N {
		var rec *Recorder
		rec, per = footprintSamples(100_000)
		runtime.KeepAlive(rec)
	}
	b.ReportMetric(per, "bytes/sample")
	b.ReportMetric(float64(sampleSize), "struct_bytes")
}
