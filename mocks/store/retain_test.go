package store

import (
	"testing"
	"unsafe"
)

// TestStoreKeepsOnlyItsOwnBytes: a kept history does not hold on to the request it came
// from. A request's user name is a slice of its request line ("PUT /v1/history/USER
// HTTP/1.1", read whole by net/http), so keeping the slice would keep the whole line for
// as long as the history is kept; and each decoded role would be a string of its own.
func TestStoreKeepsOnlyItsOwnBytes(t *testing.T) {
	s, err := New()
	if err != nil {
		t.Fatal(err)
	}
	line := "PUT /v1/history/soak-000042 HTTP/1.1"
	user := line[len("PUT /v1/history/") : len(line)-len(" HTTP/1.1")]
	role := string([]byte("assistant")) // a decoded role: its own allocation
	s.mu.Lock()
	s.storeLocked(user, []Message{{Role: role, Content: "hello"}})
	s.mu.Unlock()
	for kept := range s.histories {
		start, end := uintptr(unsafe.Pointer(unsafe.StringData(line))), uintptr(unsafe.Pointer(unsafe.StringData(line)))+uintptr(len(line))
		if p := uintptr(unsafe.Pointer(unsafe.StringData(kept))); p >= start && p < end {
			t.Errorf("the kept user %q is a slice of the request line: the line stays in memory with it", kept)
		}
	}
	h := s.History("soak-000042")
	if len(h.Messages) != 1 || unsafe.StringData(h.Messages[0].Role) != unsafe.StringData(Roles[3]) {
		t.Errorf("the kept role %q is not the shared Roles string", h.Messages[0].Role)
	}
}
