package control

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
)

// maxAdminBody bounds a POST /faults body.
const maxAdminBody = 1 << 16

// AdminPrefix is where Admin's routes live when mounted beside a mock's own routes.
const AdminPrefix = "/_llmchaos/"

// Admin returns the admin HTTP API of m. Routes (relative to where it is mounted):
//
//	GET    faults        the active faults by id
//	POST   faults        a Fault as JSON (DecodeFault); answers {"id": "..."}; 400 with
//	                     {"error": ...} if invalid, not played by this mock, or a network
//	                     fault (those are the proxy's)
//	DELETE faults        clears every fault
//	DELETE faults/{id}   clears one (404 if unknown)
//	GET    journal       the attempts as a JSON array; ?prefix=P keeps those whose
//	                     correlation id starts with P, ?after=N those whose seq is above N
//	                     (JournalQuery); header X-Llmchaos-Journal-Seq is the last seq,
//	                     X-Llmchaos-Journal-Dropped how many (the oldest) a full
//	                     journal dropped
//	DELETE journal       empties the journal
//	GET    info          the mock's name and its journal's state (JournalStats)
//
// Serve it on loopback: it has no authentication.
func Admin(m Mock) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /faults", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, m.Faults())
	})
	mux.HandleFunc("POST /faults", func(w http.ResponseWriter, r *http.Request) {
		read := BodyDeadline(w, DefaultBodyReadTimeout)
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxAdminBody))
		read.End()
		if err != nil {
			writeJSON(w, http.StatusBadRequest, map[string]string{"error": fmt.Sprintf("fault: read the body (at most %d bytes): %v", maxAdminBody, err)})
			return
		}
		f, err := decodeAdminFault(body)
		if err != nil {
			writeJSON(w, http.StatusBadRequest, map[string]string{"error": "fault: " + err.Error()})
			return
		}
		id, err := m.SetFault(f)
		if err != nil {
			writeJSON(w, http.StatusBadRequest, map[string]string{"error": err.Error()})
			return
		}
		writeJSON(w, http.StatusCreated, map[string]string{"id": id})
	})
	mux.HandleFunc("DELETE /faults", func(w http.ResponseWriter, r *http.Request) {
		m.ClearFaults()
		w.WriteHeader(http.StatusNoContent)
	})
	mux.HandleFunc("DELETE /faults/{id}", func(w http.ResponseWriter, r *http.Request) {
		if !m.ClearFault(r.PathValue("id")) {
			writeJSON(w, http.StatusNotFound, map[string]string{"error": "no active fault " + r.PathValue("id")})
			return
		}
		w.WriteHeader(http.StatusNoContent)
	})
	mux.HandleFunc("GET /journal", func(w http.ResponseWriter, r *http.Request) {
		q, err := journalQueryOf(r)
		if err != nil {
			writeJSON(w, http.StatusBadRequest, map[string]string{"error": err.Error()})
			return
		}
		j := m.Journal()
		st := j.Stats()
		w.Header().Set(HeaderJournalSeq, strconv.Itoa(st.Seq))
		// A full journal (control.DefaultMaxJournal) says how many attempts (its oldest) it dropped.
		w.Header().Set("X-Llmchaos-Journal-Dropped", strconv.Itoa(st.Dropped))
		attempts := j.Query(q)
		if attempts == nil {
			attempts = []Attempt{}
		}
		writeJSON(w, http.StatusOK, attempts)
	})
	mux.HandleFunc("GET /info", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, Info{Name: m.Name(), Journal: m.Journal().Stats()})
	})
	mux.HandleFunc("DELETE /journal", func(w http.ResponseWriter, r *http.Request) {
		m.Journal().Reset()
		w.WriteHeader(http.StatusNoContent)
	})
	return mux
}

// WithAdmin serves m's admin API under AdminPrefix and everything else with m itself,
// so one loopback listener serves a mock and its controls.
func WithAdmin(m Mock) http.Handler {
	admin := http.StripPrefix(strings.TrimSuffix(AdminPrefix, "/"), Admin(m))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, AdminPrefix) {
			admin.ServeHTTP(w, r)
			return
		}
		m.ServeHTTP(w, r)
	})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
