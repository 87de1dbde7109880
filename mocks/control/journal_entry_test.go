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
// Query exactly as it was recorded, and so do attempts whose labels never repeat (past
// the interner's maxInterned distinct values).
func TestJournalKeepsEveryField(t *testing.T) {
	full := Attempt{
		Seq: 7, Upstream: "primary", Arrived: time.Now(), Duration: 3 * time.Millisecond,
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
// journal (its entry, and what the entry keeps alive), its correlation id included.
const maxJournalBytesPerAttempt = 200

// TestJournalFootprintPerAttempt records attempts shaped as net/http hands them to a mock
// (Method and Path are slices of the request line, the correlation id a header value of
// its own) and measures the heap the journal holds per attempt: a store mock's (a path
// per user) and an LLM mock's (one path). An Attempt alone is 240 bytes, and a path
// kept as a slice keeps its whole request line.
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
			per := float64(int64(after.HeapAlloc)-int64(before.HeapAlloc)) / n
			t.Logf("%s: %.0f bytes per journalled attempt", tc.name, per)
			if per > maxJournalBytesPerAttempt {
				t.Fatalf("%s: a journalled attempt takes %.0f bytes, over %d", tc.name, per, maxJournalBytesPerAttempt)
			}
			runtime.KeepAlive(&j)
		})
	}
	if size := unsafe.Sizeof(entry{}); size > 120 {
		t.Errorf("a journal entry is %d bytes, want at most 120", size)
	}
}
