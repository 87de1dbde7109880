package control

import "net/http"

// Mock is what every llmchaos mock offers: it serves its protocol, takes protocol
// faults at run time, and keeps a journal. The harness drives all mocks through it.
type Mock interface {
	http.Handler
	// Name is the upstream name the mock answers as (it appears in answers and the journal).
	Name() string
	// SetFault activates f and returns an id to clear it by. Several faults may be active;
	// the newest one whose scope matches a request decides its answer.
	SetFault(f Fault) (id string, err error)
	// ClearFault removes one fault; false if no such id is active.
	ClearFault(id string) bool
	// ClearFaults removes every fault.
	ClearFaults()
	// Faults lists the active faults by id.
	Faults() map[string]Fault
	// Journal is the mock's record of attempts.
	Journal() *Journal
}
