package control

import "sync"

// Journal is a goroutine-safe, append-only record of attempts. The zero value is ready.
type Journal struct {
	mu       sync.Mutex
	attempts []Attempt
	seq      int
}

// Begin reserves the next sequence number. Call it when a request arrives so that
// Seq follows arrival order even when answers finish out of order.
func (j *Journal) Begin() int {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.seq++
	return j.seq
}

// Record appends a finished attempt.
func (j *Journal) Record(a Attempt) {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.attempts = append(j.attempts, a)
}

// Attempts returns a copy of the journal, ordered by Seq.
func (j *Journal) Attempts() []Attempt {
	j.mu.Lock()
	out := make([]Attempt, len(j.attempts))
	copy(out, j.attempts)
	j.mu.Unlock()
	sortBySeq(out)
	return out
}

// Reset empties the journal and restarts the sequence.
func (j *Journal) Reset() {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.attempts = nil
	j.seq = 0
}

func sortBySeq(a []Attempt) {
	// insertion sort: journals are nearly sorted already
	for i := 1; i < len(a); i++ {
		for k := i; k > 0 && a[k].Seq < a[k-1].Seq; k-- {
			a[k], a[k-1] = a[k-1], a[k]
		}
	}
}
