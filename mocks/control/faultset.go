package control

import (
	"fmt"
	"strconv"
	"sync"
	"time"
)

// FaultSet holds a mock's active faults. Mocks embed it to implement the fault half of Mock.
// The zero value is ready; Supported, when set, limits the modes SetFault accepts.
type FaultSet struct {
	// Supported lists the modes this mock plays; nil accepts every valid fault.
	Supported []Mode
	// Clock is the mock's clock, which starts a quota's buckets; nil is time.Now.
	Clock func() time.Time

	mu     sync.Mutex
	next   int
	active []activeFault // oldest first
}

type activeFault struct {
	id    string
	fault Fault
	match *Matcher
	quota *Quota // a quota fault's buckets, from when it was set
}

// SetFault validates f and activates it. A fault whose mode the mock does not play is
// an error wrapping ErrUnsupported. A quota fault starts with full buckets.
func (s *FaultSet) SetFault(f Fault) (string, error) {
	if err := f.Validate(); err != nil {
		return "", fmt.Errorf("fault: %w", err)
	}
	if s.Supported != nil && !s.supports(f.Mode()) {
		return "", fmt.Errorf("fault type %q (mode %s): %w (supported modes: %v)", f.Type, f.Mode(), ErrUnsupported, s.Supported)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.next++
	id := "f" + strconv.Itoa(s.next)
	a := activeFault{id: id, fault: f, match: NewMatcher(f.Scope)}
	if f.Type == TypeQuota {
		now := time.Now
		if s.Clock != nil {
			now = s.Clock
		}
		a.quota = NewQuota(f.RequestsPerMinute, f.TokensPerMinute, now())
	}
	s.active = append(s.active, a)
	return id, nil
}

func (s *FaultSet) supports(m Mode) bool {
	for _, x := range s.Supported {
		if x == m {
			return true
		}
	}
	return false
}

// ClearFault removes the fault with that id.
func (s *FaultSet) ClearFault(id string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i, a := range s.active {
		if a.id == id {
			s.active = append(s.active[:i], s.active[i+1:]...)
			return true
		}
	}
	return false
}

// ClearFaults removes every fault.
func (s *FaultSet) ClearFaults() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.active = nil
}

// Faults lists the active faults by id.
func (s *FaultSet) Faults() map[string]Fault {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make(map[string]Fault, len(s.active))
	for _, a := range s.active {
		out[a.id] = a.fault
	}
	return out
}

// Pick decides the fault for one request: the newest active fault whose scope hits it.
// Quota faults are not picked (they limit every request: see Quota). Call it exactly
// once per request.
func (s *FaultSet) Pick() (Fault, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i := len(s.active) - 1; i >= 0; i-- {
		if s.active[i].quota == nil && s.active[i].match.Hit() {
			return s.active[i].fault, true
		}
	}
	return Fault{}, false
}

// Quota returns the buckets of the newest active quota fault, nil when none is active.
// A mock admits every request through it before it picks a fault.
func (s *FaultSet) Quota() *Quota {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i := len(s.active) - 1; i >= 0; i-- {
		if s.active[i].quota != nil {
			return s.active[i].quota
		}
	}
	return nil
}
