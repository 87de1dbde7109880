package load

import (
	"net/http"
	"testing"
	"time"
)

// TestDriverTTFTCountsTheFirstToken: a server that sends its headers and the role chunk at
// once but its first token only after a delay (as a slow provider behind a relaying app
// does) gets a ttft from the token, not from the first byte.
func TestDriverTTFTCountsTheFirstToken(t *testing.T) {
	const delay = 300 * time.Millisecond
	srv := driverTestServer(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/event-stream")
		_, _ = w.Write([]byte(`data: {"object":"chat.completion.chunk","choices":[{"index":0,"delta":{"role":"assistant","content":""}}]}` + "\n\n"))
		w.(http.Flusher).Flush()
		time.Sleep(delay) // the provider's time to first token, simulated by the server
		driverTestOpenAIFrames(w, driverTestAnswer("primary", driverTestRequest(r).Header), true)
	})
	s := driverTestOne(t, Request{Protocol: ProtocolOpenAIChat, Stream: true}, srv.URL)
	if s.Outcome != OutcomeOK {
		t.Fatalf("sample = %+v", s)
	}
	ttft, ok := s.TTFT()
	if !ok || ttft < delay {
		t.Fatalf("ttft = %s (ok %v), want at least the %s before the first token", ttft, ok, delay)
	}
}
