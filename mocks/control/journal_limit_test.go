package control

import (
	"fmt"
	"testing"
)

// TestJournalIsBounded: a journal keeps at most its limit of attempts, the newest ones,
// and counts the older ones it dropped, instead of growing without bound under a long
// load.
func TestJournalIsBounded(t *testing.T) {
	var j Journal
	if j.Limit() != DefaultMaxJournal {
		t.Fatalf("a zero Journal's limit is %d, want DefaultMaxJournal", j.Limit())
	}
	j.SetLimit(3)
	for range 5 {
		j.Record(Attempt{Seq: j.Begin()})
	}
	got := j.Attempts()
	if seqs(got) != "[3 4 5]" || j.Dropped() != 2 {
		t.Fatalf("kept seqs %s, dropped %d; want the newest 3 kept ([3 4 5]) and 2 dropped", seqs(got), j.Dropped())
	}
	if st := j.Stats(); st.Kept != 3 || st.Dropped != 2 || st.DroppedThrough != 2 || st.Seq != 5 || st.Limit != 3 {
		t.Fatalf("stats %+v, want kept 3, dropped 2 through seq 2, seq 5, limit 3", st)
	}
	j.Reset()
	if st := j.Stats(); len(j.Attempts()) != 0 || st.Dropped != 0 || st.DroppedThrough != 0 || st.Limit != 3 {
		t.Fatalf("after Reset: %d attempts, stats %+v", len(j.Attempts()), st)
	}
}

// TestJournalRingAcrossChunks: far past its limit, across many storage chunks, a
// journal keeps exactly the newest attempts in order, queries them by cursor, and holds
// no more chunks than its limit needs (the dropped ones are freed).
func TestJournalRingAcrossChunks(t *testing.T) {
	const limit, total = 2500, 10_000
	var j Journal
	j.SetLimit(limit)
	for i := range total {
		j.Record(Attempt{Seq: j.Begin(), CorrelationID: fmt.Sprintf("run-%d", i%2)})
		if j.n > limit {
			t.Fatalf("after %d records the journal holds %d attempts, limit %d", i+1, j.n, limit)
		}
	}
	got := j.Attempts()
	if len(got) != limit || got[0].Seq != total-limit+1 || got[limit-1].Seq != total {
		t.Fatalf("kept %d attempts, seqs %d..%d; want %d, %d..%d", len(got), got[0].Seq, got[len(got)-1].Seq, limit, total-limit+1, total)
	}
	for i := 1; i < len(got); i++ {
		if got[i].Seq != got[i-1].Seq+1 {
			t.Fatalf("kept seqs are not contiguous at %d: %d after %d", i, got[i].Seq, got[i-1].Seq)
		}
	}
	if want := limit/journalChunk + 2; len(j.chunks) > want {
		t.Fatalf("the journal holds %d chunks for %d attempts, want at most %d", len(j.chunks), limit, want)
	}
	if j.Dropped() != total-limit || j.Stats().DroppedThrough != total-limit {
		t.Fatalf("dropped %d through seq %d, want %d through %d", j.Dropped(), j.Stats().DroppedThrough, total-limit, total-limit)
	}
	q := j.Query(JournalQuery{Prefix: "run-1", After: total - 10})
	if seqs(q) != "[9992 9994 9996 9998 10000]" {
		t.Fatalf("query run-1 after %d: %s", total-10, seqs(q))
	}
	j.SetLimit(10)
	if got := j.Attempts(); len(got) != 10 || got[0].Seq != total-9 || j.Dropped() != total-10 {
		t.Fatalf("after SetLimit(10): %d kept from seq %d, dropped %d", len(got), got[0].Seq, j.Dropped())
	}
}

// A journal that drains to empty by SetLimit and then records again keeps working.
func TestJournalRingRefills(t *testing.T) {
	var j Journal
	j.SetLimit(1)
	for range 3 {
		j.Record(Attempt{Seq: j.Begin()})
	}
	if got := j.Attempts(); seqs(got) != "[3]" || j.Dropped() != 2 {
		t.Fatalf("limit 1: kept %s, dropped %d", seqs(got), j.Dropped())
	}
}

func seqs(a []Attempt) string {
	s := make([]int, len(a))
	for i := range a {
		s[i] = a[i].Seq
	}
	return fmt.Sprint(s)
}
