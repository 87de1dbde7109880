package llm

import (
	"net/http"
	"strconv"

	"github.com/llmchaos/llmchaos/mocks/control"
)

// recorder wraps a ResponseWriter to count what the answer wrote, for the journal.
type recorder struct {
	w       http.ResponseWriter
	flusher http.Flusher
	status  int
	bytes   int64
	// failed is set when a write failed: the client went away.
	failed bool
	// bodyRead is the body read deadline still set on the connection, if any.
	bodyRead control.BodyRead
}

// liftBodyDeadline lifts the body read deadline if one is still set. Call it before
// anything that may outlast it (waits, streams, faults that hold the connection).
func (r *recorder) liftBodyDeadline() {
	r.bodyRead.End()
	r.bodyRead = control.BodyRead{}
}

func (r *recorder) Header() http.Header { return r.w.Header() }

// Unwrap lets http.ResponseController reach the underlying writer.
func (r *recorder) Unwrap() http.ResponseWriter { return r.w }

func (r *recorder) WriteHeader(status int) {
	if r.status == 0 {
		r.status = status
	}
	r.w.WriteHeader(status)
}

func (r *recorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	n, err := r.w.Write(b)
	r.bytes += int64(n)
	if err != nil {
		r.failed = true
	}
	return n, err
}

// send writes b and flushes it to the client.
func (r *recorder) send(b []byte) error {
	if _, err := r.Write(b); err != nil {
		return err
	}
	r.flush()
	return nil
}

func (r *recorder) flush() {
	if r.flusher != nil {
		r.flusher.Flush()
	}
}

// writeBody writes a whole answer with its Content-Length.
func (r *recorder) writeBody(status int, contentType string, body []byte) error {
	h := r.w.Header()
	// canonical keys set directly: what Header.Set does, without canonicalizing
	if contentType == "application/json" {
		h["Content-Type"] = contentTypeJSON
	} else {
		h["Content-Type"] = []string{contentType}
	}
	h["Content-Length"] = []string{strconv.Itoa(len(body))}
	r.WriteHeader(status)
	_, err := r.Write(body)
	return err
}
