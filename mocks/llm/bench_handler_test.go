package llm

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// The handler's own cost, without a network or a client: the mock's ServeHTTP against a
// bare handler that writes the mock's captured answer (headers and body) as it is, both
// called directly with the same request and a writer that keeps nothing. What is left
// is what the mock adds per whole answer; under wrk net/http's own work (the same for
// both) comes on top.
//
//	go test -run '^$' -bench HandlerVsBare -benchmem -count 5 ./mocks/llm/

// sinkWriter is a ResponseWriter that keeps nothing: a fresh header map per request, as
// net/http gives every request one.
type sinkWriter struct {
	h      http.Header
	status int
	n      int
}

func (w *sinkWriter) Header() http.Header { return w.h }
func (w *sinkWriter) WriteHeader(s int)   { w.status = s }
func (w *sinkWriter) Write(b []byte) (int, error) {
	w.n += len(b)
	return len(b), nil
}

// captureAnswer is the mock's whole answer to body: its headers and bytes.
func captureAnswer(s *Server, body string) (http.Header, []byte) {
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/v1/chat/completions", strings.NewReader(body)))
	return rec.Header(), rec.Body.Bytes()
}

// bareCaptured reads the body and writes header and body as they are: the floor of a
// handler that sends the same bytes (bench/wrkserver's bare target).
func bareCaptured(header http.Header, answer []byte) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.ReadAll(r.Body)
		h := w.Header()
		for k, v := range header {
			h[k] = v
		}
		_, _ = w.Write(answer)
	}
}

func BenchmarkHandlerVsBare(b *testing.B) {
	s := mustNew(b)
	header, answer := captureAnswer(s, benchBody)
	s.Journal().Reset()
	for _, c := range []struct {
		name string
		h    http.Handler
	}{
		{"bare", bareCaptured(header, answer)},
		{"mock", s},
	} {
		b.Run(c.name, func(b *testing.B) {
			body := bytes.NewReader([]byte(benchBody))
			r := httptest.NewRequest(http.MethodPost, "/v1/chat/completions", nil).WithContext(context.Background())
			r.ContentLength = int64(len(benchBody))
			w := &sinkWriter{}
			rc := io.NopCloser(body)
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				body.Reset([]byte(benchBody))
				r.Body = rc
				w.h = make(http.Header)
				w.n = 0
				c.h.ServeHTTP(w, r)
				if w.status != http.StatusOK && w.status != 0 || w.n < len(answer) {
					b.Fatalf("status %d, %d bytes written, want 200 and at least %d", w.status, w.n, len(answer))
				}
				if i%65536 == 0 {
					s.Journal().Reset()
				}
			}
		})
	}
}
