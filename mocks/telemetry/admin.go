package telemetry

import (
	"encoding/json"
	"net/http"

	"github.com/llmchaos/llmchaos/mocks/control"
)

// Handler serves everything on one listener: the OTLP routes, the control admin API
// (control.WithAdmin) and the collector's own admin routes:
//
//	GET    /_llmchaos/capacity   the capacity model in force
//	PUT    /_llmchaos/capacity   a Capacity as JSON; 400 with {"error": ...} if invalid
//	GET    /_llmchaos/counts     the Counts snapshot
//	DELETE /_llmchaos/counts     zeroes the counts (the journal has its own DELETE)
//
// Serve it on loopback: it has no authentication.
func (c *Collector) Handler() http.Handler {
	mux := http.NewServeMux()
	p := control.AdminPrefix
	mux.HandleFunc("GET "+p+"capacity", func(w http.ResponseWriter, r *http.Request) {
		writeAdminJSON(w, http.StatusOK, c.Capacity())
	})
	mux.HandleFunc("PUT "+p+"capacity", func(w http.ResponseWriter, r *http.Request) {
		var cp Capacity
		dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<16))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&cp); err != nil {
			writeAdminJSON(w, http.StatusBadRequest, map[string]string{"error": "capacity: " + err.Error()})
			return
		}
		if err := c.SetCapacity(cp); err != nil {
			writeAdminJSON(w, http.StatusBadRequest, map[string]string{"error": err.Error()})
			return
		}
		writeAdminJSON(w, http.StatusOK, c.Capacity())
	})
	mux.HandleFunc("GET "+p+"counts", func(w http.ResponseWriter, r *http.Request) {
		writeAdminJSON(w, http.StatusOK, c.Counts())
	})
	mux.HandleFunc("DELETE "+p+"counts", func(w http.ResponseWriter, r *http.Request) {
		c.counts.reset()
		w.WriteHeader(http.StatusNoContent)
	})
	mux.Handle("/", control.WithAdmin(c))
	return mux
}

func writeAdminJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
