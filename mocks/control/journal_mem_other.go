//go:build !linux

package control

// journalMem returns n bytes of zeroed memory for a journal chunk: on this system, from
// the heap (pointer-free, so the collector does not scan it).
func journalMem(n int) []byte { return make([]byte, n) }

// freeJournalMem releases memory from journalMem: the collector does.
func freeJournalMem([]byte) {}
