package control

import (
	"fmt"
	"math"
	"reflect"
	"runtime"
	"testing"
	"time"
	"unsafe"
)

// TestJournalKeepsEveryField: an attempt with every field set reads back from Attempts and
// Query exactly as it was recorded (Arrived without its monotonic clock reading), and so
// do attempts whose labels never repeat (past the interner's maxInterned distinct values).
func TestJournalKeepsEveryField(t *testing.T) {
	full := Attempt{
		Seq: 7, Upstream: "primary", Arrived: time.Now().Round(0), Duration: 3 * time.Millisecond,
		Method: "POST", Path: "/v1/chat/completions", CorrelationID: "soak.r1-000007", RetryCount: 2,
		Stream: true, Status: 429, Fault: "rate-limit", NonRetryable: true, ToolCalls: 3, FollowUp: true,
		RetryAfter: 1500 * time.Millisecond, Bytes: 1 << 40, Complete: true, Cut: true, Items: 12,
		Accepted: 11, Error: "client went away",
	}
	var j Journal
	j.Record(full)
	none := Attempt{Seq: 8, RetryCount: -1}
	j.Record(none)
	got := j.Attempts()
	if len(got) != 2 || !reflect.DeepEqual(got[0], full) || !reflect.DeepEqual(got[1], none) {
		t.Fatalf("read back\n%+v\n%+v\nwant\n%+v\n%+v", got[0], got[1], full, none)
	}
	if q := j.Query(JournalQuery{Prefix: "soak.r1-"}); len(q) != 1 || !reflect.DeepEqual(q[0], full) {
		t.Fatalf("query: %+v", q)
	}

	var many Journal
	const n = maxInterned + 500
	for i := range n {
		many.Record(Attempt{Seq: i + 1, Upstream: "store", Method: "GET", Path: fmt.Sprintf("/v1/history/u%d", i), Error: fmt.Sprintf("error %d", i)})
	}
	for i, a := range many.Attempts() {
		if a.Path != fmt.Sprintf("/v1/history/u%d", i) || a.Error != fmt.Sprintf("error %d", i) || a.Upstream != "store" || a.Method != "GET" {
			t.Fatalf("attempt %d read back as %+v", i, a)
		}
	}
}

// TestJournalSaturatesCounts: the journal keeps counts as int32; one out of that range
// (none a mock journals comes near) reads back as its bound, not wrapped around.
func TestJournalSaturatesCounts(t *testing.T) {
	var j Journal
	j.Record(Attempt{Seq: 1, Items: math.MaxInt32 + 10, RetryCount: math.MinInt32 - 10})
	a := j.Attempts()[0]
	if a.Items != math.MaxInt32 || a.RetryCount != math.MinInt32 {
		t.Fatalf("items %d, retry count %d; want %d and %d", a.Items, a.RetryCount, math.MaxInt32, math.MinInt32)
	}
}

// maxJournalBytesPerAttempt is the most a journalled attempt of a mock may take in the
// journal (its entry, its strings, and what the entry keeps alive), its correlation id
// included; maxJournalHeapPerAttempt is the most of that on the collected heap (the
// shared paths and labels, bounded by maxInterned, and the chunks' headers).
const (
	maxJournalBytesPerAttempt = 200
	maxJournalHeapPerAttempt  = 16
)

// TestJournalFootprintPerAttempt records attempts shaped as net/http hands them to a mock
// (Method and Path are slices of the request line, the correlation id a header value of
// its own) and measures the memory the journal holds per attempt: a store mock's (a path
// per user) and an LLM mock's (one path). An Attempt alone is 240 bytes, and a path
// kept as a slice keeps its whole request line. Almost none of it may be on the
// collected heap: the chunks are outside it.
func TestJournalFootprintPerAttempt(t *testing.T) {
	for _, tc := range []struct {
		name, method, path string
	}{{"store", "PUT", "/v1/history/soak-%06d"}, {"llm", "POST", "/v1/chat/completions"}} {
		t.Run(tc.name, func(t *testing.T) {
			const n = 50_000
			var j Journal
			runtime.GC()
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			for i := range n {
				path := tc.path
				if tc.name == "store" {
					path = fmt.Sprintf(tc.path, i)
				}
				// a request line and a header value of their own, as net/http reads them
				line := tc.method + " " + path + " HTTP/1.1"
				id := fmt.Sprintf("soak-%06d", i)
				sp := len(tc.method)
				j.Record(Attempt{Seq: i + 1, Upstream: "store", Arrived: time.Now(), Method: line[:sp],
					Path: line[sp+1 : len(line)-len(" HTTP/1.1")], CorrelationID: id, Status: 200, Complete: true})
			}
			runtime.GC()
			runtime.ReadMemStats(&after)
			heap := float64(int64(after.HeapAlloc)-int64(before.HeapAlloc)) / n
			j.mu.Lock()
			per := heap + float64(j.heldBytes())/n
			j.mu.Unlock()
			t.Logf("%s: %.0f bytes per journalled attempt, %.1f of them on the heap", tc.name, per, heap)
			if per > maxJournalBytesPerAttempt {
				t.Fatalf("%s: a journalled attempt takes %.0f bytes, over %d", tc.name, per, maxJournalBytesPerAttempt)
			}
			if heap > maxJournalHeapPerAttempt {
				t.Fatalf("%s: a journalled attempt takes %.1f bytes of the collected heap, over %d", tc.name, heap, maxJournalHeapPerAttempt)
			}
			runtime.KeepAlive(&j)
		})
	}
	if size := unsafe.Sizeof(entry{}); size > 96 {
		t.Errorf("a journal entry is %d bytes, want at most 96", size)
	}
}

// TestJournalKeepsArrivedZones: Arrived reads back as the same instant in the same
// location, whatever its location, and the zero time as the zero time.
func TestJournalKeepsArrivedZones(t *testing.T) {
	at := time.Date(2024, 12, 26, 19, 0, 0, 123456789, time.UTC)
	want := []time.Time{{}, at, at.Local(), at.In(time.FixedZone("PST", -8*3600)), time.Now().Round(0)}
	var j Journal
	for i, a := range want {
		j.Record(Attempt{Seq: i + 1, Arrived: a})
	}
	for i, a := range j.Attempts() {
		if !reflect.DeepEqual(a.Arrived, want[i]) {
			t.Errorf("attempt %d: Arrived read back as %v (%s), want %v (%s)", i+1, a.Arrived, a.Arrived.Location(), want[i], want[i].Location())
		}
	}
}

// TestJournalReleasesItsChunks: a journal's chunks hold its attempts' memory; the chunks
// it empties (by its limit, or Reset) it keeps for reuse, at most maxSpareChunks of them,
// and releases the rest; a Record after that reuses a spare instead of mapping more.
func TestJournalReleasesItsChunks(t *testing.T) {
	var j Journal
	const chunks = maxSpareChunks + 3
	for i := range chunks * journalChunk {
		j.Record(Attempt{Seq: i + 1, CorrelationID: fmt.Sprintf("run-%d", i)})
	}
	held := func() int { j.mu.Lock(); defer j.mu.Unlock(); return j.heldBytes() }
	one := len(j.chunks[0].mem)
	if got := held(); got != chunks*one {
		t.Fatalf("a journal of %d full chunks holds %d bytes, want %d", chunks, got, chunks*one)
	}
	j.SetLimit(10)
	if got := held(); got != (maxSpareChunks+1)*one {
		t.Fatalf("after the limit dropped all but 10 attempts, the journal holds %d bytes, want its last chunk and %d spare (%d)", got, maxSpareChunks, (maxSpareChunks+1)*one)
	}
	if a := j.Attempts(); len(a) != 10 || a[9].CorrelationID != fmt.Sprintf("run-%d", chunks*journalChunk-1) {
		t.Fatalf("kept %d attempts, the last %+v", len(a), a[len(a)-1])
	}
	j.Reset()
	if got := held(); got != maxSpareChunks*one {
		t.Fatalf("after Reset the journal holds %d bytes, want its %d spare chunks' %d", got, maxSpareChunks, maxSpareChunks*one)
	}
	j.Record(Attempt{Seq: 1, CorrelationID: "again"})
	if got := held(); got != maxSpareChunks*one {
		t.Fatalf("a Record after Reset took the journal to %d bytes, want %d: it did not reuse a spare chunk", got, maxSpareChunks*one)
	}
	if a := j.Attempts(); len(a) != 1 || a[0].CorrelationID != "again" {
		t.Fatalf("after reuse the journal reads %+v", a)
	}
}
