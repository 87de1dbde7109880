package llm

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/llmchaos/llmchaos/mocks/control"
	"github.com/onsi/gomega"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

// mustNew returns New(opts...) or fails the test.
func mustNew(t testing.TB, opts ...Option) *Server {
	t.Helper()
	s, err := New(opts...)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return s
}

// start serves a new Server (with its admin API) on a loopback httptest server.
func start(t testing.TB, opts ...Option) (*Server, *httptest.Server) {
	t.Helper()
	s := mustNew(t, opts...)
	hs := httptest.NewServer(control.WithAdmin(s))
	t.Cleanup(hs.Close)
	return s, hs
}

// setFault activates f on s or fails the test.
func setFault(t testing.TB, s *Server, f control.Fault) {
	t.Helper()
	if _, err := s.SetFault(f); err != nil {
		t.Fatalf("SetFault(%+v): %v", f, err)
	}
}

// post sends body to url with headers and returns the response (body unread).
func post(t testing.TB, url, body string, headers ...string) *http.Response {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { res.Body.Close() })
	return res
}

func readAll(t testing.TB, r io.Reader) []byte {
	t.Helper()
	b, err := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// sseEvent is one server-sent event as the SDKs split them.
type sseEvent struct {
	event string
	data  string
}

// readSSE splits a whole SSE body into events; comments are returned as event ":".
func readSSE(t testing.TB, body []byte) []sseEvent {
	t.Helper()
	var out []sseEvent
	var cur sseEvent
	sc := bufio.NewScanner(bytes.NewReader(body))
	for sc.Scan() {
		line := sc.Text()
		switch {
		case line == "":
			if cur != (sseEvent{}) {
				out = append(out, cur)
			}
			cur = sseEvent{}
		case strings.HasPrefix(line, ":"):
			out = append(out, sseEvent{event: ":", data: strings.TrimSpace(line[1:])})
		case strings.HasPrefix(line, "event: "):
			cur.event = line[len("event: "):]
		case strings.HasPrefix(line, "data: "):
			cur.data += line[len("data: "):]
		default:
			t.Fatalf("unexpected SSE line %q", line)
		}
	}
	if cur != (sseEvent{}) {
		t.Fatalf("stream ended inside an event: %+v (no blank line)", cur)
	}
	return out
}

// decode unmarshals s into a generic JSON object or fails.
func decode(t testing.TB, s string) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(s), &m); err != nil {
		t.Fatalf("not a JSON object: %v: %q", err, s)
	}
	return m
}

// waitAttempts waits until the journal holds n attempts (each request is recorded
// when its handler returns, which may be just after the client saw the answer).
func waitAttempts(t testing.TB, s *Server, n int) []control.Attempt {
	t.Helper()
	var a []control.Attempt
	gomega.NewWithT(t).Eventually(func() int {
		a = s.Journal().Attempts()
		return len(a)
	}).WithTimeout(10*time.Second).WithPolling(5*time.Millisecond).Should(gomega.BeNumerically(">=", n),
		"journal attempts")
	return a
}
