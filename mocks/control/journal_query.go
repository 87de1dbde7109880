package control

import "strings"

// JournalQuery selects attempts from a Journal: those after a sequence number and whose
// correlation id starts with a prefix. The zero value selects every attempt. Several
// harness runs can share one mock this way: each reads only its own attempts (its
// correlation ids carry its run id) that arrived after it started.
type JournalQuery struct {
	// Prefix keeps the attempts whose CorrelationID starts with it; "" keeps all, including
	// attempts with no correlation id.
	Prefix string
	// After keeps the attempts whose Seq is greater; 0 keeps all.
	After int
}

// Match reports whether a is selected by q.
func (q JournalQuery) Match(a *Attempt) bool {
	return q.matches(a.Seq, func(p string) bool { return strings.HasPrefix(a.CorrelationID, p) })
}

// matches reports whether q selects an attempt numbered seq whose correlation id starts
// with a prefix p when hasPrefix(p) (a journal asks its chunk without copying the id).
func (q JournalQuery) matches(seq int, hasPrefix func(p string) bool) bool {
	return seq > q.After && (q.Prefix == "" || hasPrefix(q.Prefix))
}

// JournalStats is a journal's state: how far its sequence got and what it holds.
type JournalStats struct {
	// Seq is the last sequence number handed out (Begin): a client that reads it before a
	// run and queries After it gets only the run's attempts.
	Seq int `json:"seq"`
	// Kept is how many attempts the journal holds.
	Kept int `json:"kept"`
	// Resets counts the times the journal was emptied (Reset, DELETE journal), which
	// restarts Seq: a client that saw it change lost the attempts it was waiting for.
	Resets int `json:"resets"`
	// Limit is the most attempts the journal keeps (SetLimit, DefaultMaxJournal); past it
	// the journal drops its oldest attempts, and Dropped counts them.
	Limit   int `json:"limit"`
	Dropped int `json:"dropped"`
	// DroppedThrough is the highest Seq among the dropped attempts (0: none dropped). A
	// client that started reading After a sequence number lost none of the attempts it
	// waits for while DroppedThrough is not above it.
	DroppedThrough int `json:"dropped_through"`
}

// Query returns a copy of the attempts q selects, ordered by Seq.
func (j *Journal) Query(q JournalQuery) []Attempt {
	j.mu.Lock()
	var out []Attempt
	j.kept(func(c *chunk, es []entry) {
		for i := range es {
			e := &es[i]
			if q.matches(int(e.seq), func(p string) bool { return c.hasPrefix(e.id, p) }) {
				out = append(out, j.strs.attempt(e, c))
			}
		}
	})
	j.mu.Unlock()
	sortBySeq(out)
	return out
}

// Stats returns the journal's state.
func (j *Journal) Stats() JournalStats {
	j.mu.Lock()
	defer j.mu.Unlock()
	return JournalStats{Seq: int(j.seq.Load()), Kept: j.n, Resets: j.resets, Limit: j.limitLocked(), Dropped: j.dropped, DroppedThrough: j.droppedThrough}
}
