package control

import (
	"context"
	"sync"
	"sync/atomic"
)

// DefaultMaxJournal is how many attempts a Journal keeps (SetLimit): twice the harness's
// sample budget, so a run at the budget with every request retried once still fits. An
// attempt takes 136 bytes of a journal's chunks (its entry, and 40 bytes of text for its
// correlation id), outside the collected heap (chunk), so a full journal holds about
// 550 MB; a long-lived shared mock can keep fewer (llmchaos mock --journal-limit).
const DefaultMaxJournal = 4_000_000

// Journal is a goroutine-safe record of attempts, bounded as a ring: past its limit
// (DefaultMaxJournal, SetLimit) it drops its oldest attempt for each new one and counts
// them as Dropped, so a long-lived mock shared by runs keeps the newest attempts, the ones
// a run reading its own (JournalQuery after the sequence number it started at) still
// needs. The zero value is ready.
type Journal struct {
	seq atomic.Int64 // Begin takes no lock: it runs on every request
	// open counts attempts begun and not yet recorded (Settle).
	open atomic.Int64

	mu sync.Mutex
	// chunks hold the attempts (as entries, well under half an Attempt's size) in Record
	// order; the oldest kept is chunks[0].entries[head].
	chunks  []*chunk
	spare   []*chunk // emptied chunks kept for reuse (takeChunk, putChunk)
	strs    interner
	head    int
	n       int
	limit   int // 0: DefaultMaxJournal
	dropped int
	// droppedThrough is the highest Seq among the dropped attempts (JournalStats).
	droppedThrough int
	// resets counts Reset calls (JournalStats.Resets).
	resets int
	// settled is closed by the Record that closes the last open attempt, when a Settle
	// waits for it.
	settled chan struct{}
}

// SetLimit sets how many attempts the journal keeps (n > 0; others are ignored). A journal
// holding more drops its oldest at once.
func (j *Journal) SetLimit(n int) {
	if n > 0 {
		j.mu.Lock()
		j.limit = n
		for j.n > n {
			j.dropOldestLocked()
		}
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

// Dropped is how many attempts the journal dropped (its oldest) to stay within its limit.
func (j *Journal) Dropped() int {
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.dropped
}

// Begin reserves the next sequence number. Call it when a request arrives so that
// Seq follows arrival order even when answers finish out of order.
// Every Begin must be followed by one Record of that attempt (Settle waits for it).
func (j *Journal) Begin() int {
	j.open.Add(1)
	return int(j.seq.Add(1))
}

// Record appends a finished attempt; when the journal is full it first drops its oldest.
func (j *Journal) Record(a Attempt) {
	j.mu.Lock()
	for j.n >= j.limitLocked() {
		j.dropOldestLocked()
	}
	need := textNeed(&a)
	if len(j.chunks) == 0 || j.chunks[len(j.chunks)-1].full(need) {
		j.chunks = append(j.chunks, j.takeChunk())
	}
	c := j.chunks[len(j.chunks)-1]
	c.entries = append(c.entries, j.strs.pack(&a, c))
	j.n++
	if j.open.Add(-1) <= 0 && j.settled != nil {
		close(j.settled)
		j.settled = nil
	}
	j.mu.Unlock()
}

// Settle waits until every attempt begun (Begin) has been recorded, or ctx ends (its
// error). A mock records an attempt when its handler returns, which can be just after
// the client read the whole answer: read the journal after Settle to see every attempt
// of requests that have ended.
func (j *Journal) Settle(ctx context.Context) error {
	for {
		j.mu.Lock()
		if j.open.Load() <= 0 {
			j.mu.Unlock()
			return nil
		}
		if j.settled == nil {
			j.settled = make(chan struct{})
		}
		ch := j.settled
		j.mu.Unlock()
		select {
		case <-ch:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// dropOldestLocked forgets the oldest attempt kept (j.n > 0) and releases its chunk once
// the chunk is used up.
func (j *Journal) dropOldestLocked() {
	c := j.chunks[0]
	j.droppedThrough = max(j.droppedThrough, int(c.entries[j.head].seq))
	j.head++
	j.n--
	j.dropped++
	if j.head == len(c.entries) && (len(j.chunks) > 1 || j.n == 0) {
		j.putChunk(c)
		j.chunks[0] = nil
		j.chunks = j.chunks[1:]
		j.head = 0
	}
}

// kept calls f with every chunk and its kept entries, oldest first; j.mu is held.
func (j *Journal) kept(f func(*chunk, []entry)) {
	for i, c := range j.chunks {
		es := c.entries
		if i == 0 {
			es = es[j.head:]
		}
		f(c, es)
	}
}

// Attempts returns a copy of the journal, ordered by Seq.
func (j *Journal) Attempts() []Attempt {
	j.mu.Lock()
	out := make([]Attempt, 0, j.n)
	j.kept(func(c *chunk, es []entry) {
		for i := range es {
			out = append(out, j.strs.attempt(&es[i], c))
		}
	})
	j.mu.Unlock()
	sortBySeq(out)
	return out
}

// Reset empties the journal and restarts the sequence.
func (j *Journal) Reset() {
	j.mu.Lock()
	defer j.mu.Unlock()
	for _, c := range j.chunks {
		j.putChunk(c)
	}
	j.chunks = nil
	j.strs = interner{}
	j.head = 0
	j.n = 0
	j.dropped = 0
	j.droppedThrough = 0
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
