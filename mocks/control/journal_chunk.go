package control

import (
	"runtime"
	"unsafe"
)

// journalChunk is how many attempts one chunk of a Journal holds, and journalChunkText
// how many bytes of their strings (correlation ids, and the paths and labels the
// journal does not share) it holds beside them: 40 bytes an attempt. A chunk is full
// when either is used up. Chunks are never copied when the journal grows, so Record
// costs the same at any journal length.
const (
	journalChunk     = 1024
	journalChunkText = 40 * journalChunk
)

// chunk is one block of a Journal's attempts: their entries and the text their strings
// are kept in, side by side in one block of memory outside the collected heap
// (journalMem). Neither holds a pointer, so the collector neither scans a journal nor
// counts it towards its heap goal, and a journal's growth faults in no heap: the
// journal of a mock under load grew the heap, and the pages faulted in for it cost
// more than the rest of journalling (BENCHMARKS.md, the LLM mock under wrk). A string
// too long for the chunk's text (more than it has left of journalChunkText) is kept in
// big, on the heap.
type chunk struct {
	mem     []byte
	entries []entry // a view of mem; len is how many are used
	text    []byte  // a view of mem after the entries; len is how much is used
	big     []string
	cleanup runtime.Cleanup
}

// newChunk returns an empty chunk. Its memory is released by release, or when the chunk
// is no longer reachable (a Journal dropped without Reset).
func newChunk() *chunk {
	entryBytes := journalChunk * int(unsafe.Sizeof(entry{}))
	mem := journalMem(entryBytes + journalChunkText)
	c := &chunk{
		mem:     mem,
		entries: unsafe.Slice((*entry)(unsafe.Pointer(unsafe.SliceData(mem))), journalChunk)[:0],
		text:    mem[entryBytes:entryBytes:len(mem)],
	}
	c.cleanup = runtime.AddCleanup(c, freeJournalMem, mem)
	return c
}

// release gives the chunk's memory back; the chunk must not be used after.
func (c *chunk) release() {
	c.cleanup.Stop()
	freeJournalMem(c.mem)
	c.mem, c.entries, c.text, c.big = nil, nil, nil, nil
}

// maxSpareChunks is how many emptied chunks a Journal keeps for reuse (about 8.7 MB):
// a journal that is emptied (Reset) or turns over as a ring refills chunks already
// mapped and faulted in instead of unmapping them and mapping fresh ones.
const maxSpareChunks = 64

// clear empties the chunk for reuse.
func (c *chunk) clear() {
	c.entries, c.text, c.big = c.entries[:0], c.text[:0], nil
}

// takeChunk returns a spare chunk of j's, or a new one; j.mu is held.
func (j *Journal) takeChunk() *chunk {
	if n := len(j.spare); n > 0 {
		c := j.spare[n-1]
		j.spare[n-1] = nil
		j.spare = j.spare[:n-1]
		return c
	}
	return newChunk()
}

// putChunk keeps c for reuse, or releases it when j has maxSpareChunks spare; j.mu is
// held.
func (j *Journal) putChunk(c *chunk) {
	if len(j.spare) >= maxSpareChunks {
		c.release()
		return
	}
	c.clear()
	j.spare = append(j.spare, c)
}

// full reports whether the chunk has no room for another entry, one of whose strings
// may need up to textNeed bytes.
func (c *chunk) full(textNeed int) bool {
	return len(c.entries) == cap(c.entries) || (len(c.text)+textNeed > cap(c.text) && len(c.entries) > 0)
}

// strRef is where a chunk keeps one of an entry's strings: n bytes at off in its text;
// with n == refBig, big[off]; with n == refShared, the journal's shared value number off.
type strRef struct{ off, n uint32 }

const (
	refBig    = ^uint32(0)
	refShared = ^uint32(0) - 1
)

// put keeps s in the chunk and returns where.
func (c *chunk) put(s string) strRef {
	if len(s) > cap(c.text)-len(c.text) {
		c.big = append(c.big, s)
		return strRef{off: uint32(len(c.big) - 1), n: refBig}
	}
	off := len(c.text)
	c.text = append(c.text, s...)
	return strRef{off: uint32(off), n: uint32(len(s))}
}

// str is the string kept at r (not a shared one).
func (c *chunk) str(r strRef) string {
	if r.n == refBig {
		return c.big[r.off]
	}
	return string(c.text[r.off : r.off+r.n])
}

// hasPrefix reports whether the string kept at r starts with p, without copying it.
func (c *chunk) hasPrefix(r strRef, p string) bool {
	if r.n == refBig {
		return len(c.big[r.off]) >= len(p) && c.big[r.off][:len(p)] == p
	}
	return int(r.n) >= len(p) && string(c.text[r.off:r.off+uint32(len(p))]) == p
}

// Footprint is the memory the journal's chunks take: their blocks (outside the collected
// heap on Linux), the strings too long for them, and the emptied chunks it keeps for
// reuse (at most maxSpareChunks). What the journal shares between attempts (at most
// maxInterned paths and labels) is not counted.
func (j *Journal) Footprint() int {
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.heldBytes()
}

// heldBytes is Footprint with j.mu held.
func (j *Journal) heldBytes() int {
	n := 0
	for _, c := range j.spare {
		n += len(c.mem)
	}
	for _, c := range j.chunks {
		n += len(c.mem)
		for _, s := range c.big {
			n += len(s)
		}
	}
	return n
}
