package llm

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"testing"

	"github.com/llmchaos/llmchaos/mocks/control"
)

// maxBytesPerAttempt is the goal for what one answered request leaves in the LLM mock's
// memory (its journal entry and everything that entry holds): it sizes
// control.DefaultMaxJournal and the --journal-limit a long-lived mock is given.
const maxBytesPerAttempt = 200

// journalFootprint sends n streamed chat completions, each with its own correlation id of
// the shape a remote run sends (SCENARIO.RUNID-SEQ), through a new mock, and returns the
// mock and the bytes it holds per attempt afterwards: on the heap, and in its journal's
// chunks outside it (control.Journal.Footprint). A limit > 0 is its journal's.
func journalFootprint(tb testing.TB, n, limit int) (*Server, float64) {
	s, err := New(WithName("primary"))
	if err != nil {
		tb.Fatal(err)
	}
	s.Journal().SetLimit(limit)
	const body = `{"model":"m","stream":true,"messages":[{"role":"user","content":"hi"}]}`
	// warm up the mock's lazily built state, so it is not counted per attempt
	s.ServeHTTP(httptest.NewRecorder(), footprintRequest(body, "warm-up"))
	s.Journal().Reset()
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	for i := range n {
		w := httptest.NewRecorder()
		s.ServeHTTP(w, footprintRequest(body, fmt.Sprintf("soak.a1b2c3d4-%06d", i)))
		if w.Code != http.StatusOK {
			tb.Fatalf("request %d: status %d: %s", i, w.Code, w.Body)
		}
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	return s, float64(int64(after.HeapAlloc)-int64(before.HeapAlloc)+int64(s.Journal().Footprint())) / float64(n)
}

func footprintRequest(body, id string) *http.Request {
	r := httptest.NewRequest(http.MethodPost, "/v1/chat/completions", strings.NewReader(body))
	r.Header.Set("Content-Type", "application/json")
	r.Header.Set("X-Request-Id", id)
	r.Header.Set("X-Stainless-Retry-Count", "0")
	return r
}

// TestJournalFootprint: an answered streamed request leaves at most maxBytesPerAttempt
// bytes in the mock (measured over 50,000), and a journal at its limit stops growing:
// a second mock with a limit of 10,000 holds no more after 50,000 requests than a tenth
// of the first's memory, and keeps the newest 10,000.
func TestJournalFootprint(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: skipping the 50,000-request memory measurement; make test runs it")
	}
	const n, limit = 50_000, 10_000
	s, per := journalFootprint(t, n, 0)
	if got := s.Journal().Stats(); got.Kept != n || got.Dropped != 0 {
		t.Fatalf("the journal holds %d attempts and dropped %d, want %d and 0", got.Kept, got.Dropped, n)
	}
	if per > maxBytesPerAttempt {
		t.Fatalf("an attempt takes %.0f bytes of the mock's memory, over the %d-byte goal", per, maxBytesPerAttempt)
	}
	t.Logf("%.0f bytes per journalled attempt", per)
	runtime.KeepAlive(s)

	ring, perRing := journalFootprint(t, n, limit)
	if got := ring.Journal().Stats(); got.Kept != limit || got.Dropped != n-limit || got.DroppedThrough != n-limit {
		t.Fatalf("with limit %d the journal holds %d and dropped %d through seq %d, want %d, %d through %d", limit, got.Kept, got.Dropped, got.DroppedThrough, limit, n-limit, n-limit)
	}
	if held := perRing * n; held > limit*maxBytesPerAttempt {
		t.Fatalf("with limit %d after %d requests the mock holds %.0f bytes, over %d (the limit's worth): the journal is not bounded", limit, n, held, limit*maxBytesPerAttempt)
	}
	t.Logf("with limit %d after %d requests: %.0f bytes held (%.0f per kept attempt)", limit, n, perRing*n, perRing*n/limit)
	runtime.KeepAlive(ring)
}

// BenchmarkJournalFootprint reports what an answered streamed request leaves in the LLM
// mock's memory (bytes/attempt), over 50,000 requests per iteration.
// Run: go test -run '^$' -bench JournalFootprint -benchtime 3x ./mocks/llm/
func BenchmarkJournalFootprint(b *testing.B) {
	var per float64
	for range b.N {
		var s *Server
		s, per = journalFootprint(b, 50_000, 0)
		runtime.KeepAlive(s)
	}
	b.ReportMetric(per, "bytes/attempt")
}

var _ control.Mock = (*Server)(nil)
