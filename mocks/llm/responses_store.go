package llm

import (
	"net/http"
	"sync"
)

// responseStore keeps the Responses API answers a later request may continue with
// previous_response_id: for each response id, the correlation id it answered. It holds
// at most max; past that the oldest is forgotten, and continuing it is the provider's
// not-found error, as for a response that expired or was never stored (store: false).
type responseStore struct {
	mu   sync.Mutex
	ids  map[string]string
	ring []string // response ids in the order stored
	next int      // where the next id goes in ring, once it is full
	max  int
}

func newResponseStore(max int) *responseStore {
	return &responseStore{ids: map[string]string{}, max: max}
}

// put stores response id as answering correlation id corr.
func (s *responseStore) put(id, corr string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.ring) < s.max {
		s.ring = append(s.ring, id)
	} else {
		delete(s.ids, s.ring[s.next])
		s.ring[s.next] = id
		s.next = (s.next + 1) % s.max
	}
	s.ids[id] = corr
}

// get returns the correlation id response id answered.
func (s *responseStore) get(id string) (string, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	corr, ok := s.ids[id]
	return corr, ok
}

// remember stores a Responses API answer unless the request said store: false.
func (s *Server) remember(d dialect, c *call, req *chatRequest, corr string) {
	if isResponses(d) && !req.noStore {
		s.responses.put(c.messageID, corr)
	}
}

// previousNotFound is the Responses API's error for a previous_response_id it does not hold.
func previousNotFound(id string) *apiError {
	return &apiError{status: http.StatusBadRequest, typ: "invalid_request_error", param: "previous_response_id",
		code: "previous_response_not_found", msg: "Previous response with id '" + id + "' not found."}
}
