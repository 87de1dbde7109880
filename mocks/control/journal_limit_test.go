package control

import "testing"

// TestJournalIsBounded: a journal keeps at most its limit of attempts (the first ones) and
// counts the rest as dropped, instead of growing without bound under a long load.
func TestJournalIsBounded(t *testing.T) {
	var j Journal
	if j.Limit() != DefaultMaxJournal {
		t.Fatalf("a zero Journal's limit is %d, want DefaultMaxJournal", j.Limit())
	}
	j.SetLimit(3)
	for range 5 {
		j.Record(Attempt{Seq: j.Begin()})
	}
	if got := j.Attempts(); len(got) != 3 || got[2].Seq != 3 || j.Dropped() != 2 {
		t.Fatalf("kept %d attempts (last seq %d), dropped %d; want the first 3 kept and 2 dropped", len(got), got[len(got)-1].Seq, j.Dropped())
	}
	j.Reset()
	if len(j.Attempts()) != 0 || j.Dropped() != 0 || j.Limit() != 3 {
		t.Fatalf("after Reset: %d attempts, %d dropped, limit %d", len(j.Attempts()), j.Dropped(), j.Limit())
	}
}
