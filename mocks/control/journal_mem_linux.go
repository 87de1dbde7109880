//go:build linux

package control

import "golang.org/x/sys/unix"

// journalMem returns n bytes of zeroed memory outside the collected heap for a journal
// chunk: an anonymous mapping, its pages faulted in at once (MAP_POPULATE) rather than
// one at a time as Record reaches them. Where the system refuses a mapping it falls
// back to the heap.
func journalMem(n int) []byte {
	b, err := unix.Mmap(-1, 0, n, unix.PROT_READ|unix.PROT_WRITE, unix.MAP_ANON|unix.MAP_PRIVATE|unix.MAP_POPULATE)
	if err != nil {
		return make([]byte, n)
	}
	return b
}

// freeJournalMem releases memory from journalMem.
func freeJournalMem(b []byte) {
	_ = unix.Munmap(b) // refused for heap memory (journalMem's fallback): the collector frees that
}
