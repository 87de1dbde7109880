package control

import (
	"sync"
	"sync/atomic"
)

// journalChunk is how many attempts one block of a Journal holds. Blocks are never
// copied when the journal grows, so Record costs the same at any journal length.
const journalChunk = 1024

// DefaultMaxJournal is how many attempts a Journal keeps (SetLimit): twice the harness's
// sample budget, so a run at the budget with every request retried once still fits. An
// attempt takes about 250 bytes.
const DefaultMaxJournal = 4_000_000

// Journal is a goroutine-safe, append-only record of attempts, bounded: past its limit
// (DefaultMaxJournal, SetLimit) it keeps the first attempts and counts the others as
// Dropped. The zero value is ready.
type Journal struct {
	seq atomic.Int64 // Begin takes no lock: it runs on every request

	mu sync.Mutex
	// chunks hold the attempts in Record order; every chunk but the last is full.
	chunks  [][]Attempt
	n       int
	limit   int // 0: DefaultMaxJournal
	dropped int
	// resets counts Reset calls (JournalStats.Resets).
	resets int
}

// SetLimit sets how many attempts the journal keeps (n > 0; others are ignored).
func (j *Journal) SetLimit(n int) {
	if n > 0 {
		j.mu.Lock()
		j.limit = n
		j.mu.Unlock()
	}
}

// Limit is how many attempts the journal keeps.
func (j *Journal) Limit() int {
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.limitLocked()
}

func (j *Journal) limitLocked() int {
	if j.limit > 0 {
		return j.limit
	}
	return DefaultMaxJournal
}

// Dropped is how many attempts were not kept because the journal was full.
func (j *Journal) Dropped() int {
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.dropped
}

// Begin reserves the next sequence number. Call it when a request arrives so that
// Seq follows arrival order even when answers finish out of order.
func (j *Journal) Begin() int { return int(j.seq.Add(1)) }

// Record appends a finished attempt, or counts it as dropped when the journal is full.
func (j *Journal) Record(a Attempt) {
	j.mu.Lock()
	if j.n >= j.limitLocked() {
		j.dropped++
		j.mu.Unlock()
		return
	}
	last := len(j.chunks) - 1
	if last < 0 || len(j.chunks[last]) == cap(j.chunks[last]) {
		j.chunks = append(j.chunks, make([]Attempt, 0, journalChunk))
		last++
	}
	j.chunks[last] = append(j.chunks[last], a)
	j.n++
	j.mu.Unlock()
}

// Attempts returns a copy of the journal, ordered by Seq.
func (j *Journal) Attempts() []Attempt {
	j.mu.Lock()
	out := make([]Attempt, 0, j.n)
	for _, c := range j.chunks {
		out = append(out, c...)
	}
	j.mu.Unlock()
	sortBySeq(out)
	return out
}

// Reset empties the journal and restarts the sequence.
func (j *Journal) Reset() {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.chunks = nil
	j.n = 0
	j.dropped = 0
	j.seq.Store(0)
	j.resets++
}

func sortBySeq(a []Attempt) {
	// insertion sort: journals are nearly sorted already
	for i := 1; i < len(a); i++ {
		for k := i; k > 0 && a[k].Seq < a[k-1].Seq; k-- {
			a[k], a[k-1] = a[k-1], a[k]
		}
	}
}
