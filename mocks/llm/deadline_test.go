package llm

import (
	"net/http"
	"net/http/httptest"
	"net/http/httptrace"
	"strings"
	"testing"
	"time"

	"github.com/llmchaos/llmchaos/mocks/control"
)

// The body read deadline is lifted before an answer that takes longer than the body
// read timeout, so the answer is not cut; a quick answer leaves it to net/http, and the
// kept-alive connection still serves the next request after staying idle for longer.

const deadlineBody = `{"model":"m","messages":[{"role":"user","content":"[llmchaos-id:dl-1]"}]}`

// TestSlowAnswersOutliveTheBodyReadTimeout: over HTTP/1.1, answers that wait longer
// than the body read timeout (a TTFT, a slow-tokens fault, a bounded hang) still
// arrive: with the deadline left on the connection, net/http's background read would
// fail at the deadline and end the request's context, cutting the answer.
func TestSlowAnswersOutliveTheBodyReadTimeout(t *testing.T) {
	const timeout = 150 * time.Millisecond
	for _, c := range []struct {
		name   string
		opts   []Option
		fault  *control.Fault
		status int
	}{
		{"ttft", []Option{WithTTFT(3 * timeout)}, nil, http.StatusOK},
		{"slow-tokens", nil, &control.Fault{Type: control.TypeSlowTokens, TTFT: control.Duration(3 * timeout)}, http.StatusOK},
		{"hang", nil, &control.Fault{Type: control.TypeHang, Hold: control.Duration(3 * timeout)}, http.StatusGatewayTimeout},
	} {
		t.Run(c.name, func(t *testing.T) {
			s, hs := start(t, append(c.opts, WithBodyReadTimeout(timeout))...)
			if c.fault != nil {
				setFault(t, s, *c.fault)
			}
			res := post(t, hs.URL+"/v1/chat/completions", deadlineBody)
			readAll(t, res.Body)
			if res.StatusCode != c.status {
				t.Fatalf("status %d after a wait of 3x the body read timeout, want %d", res.StatusCode, c.status)
			}
			if a := s.Journal().Attempts(); len(a) != 1 || a[0].Cut {
				t.Fatalf("journal %+v: want one attempt, not cut", a)
			}
		})
	}
}

// TestQuickAnswerKeepsConnectionUsable: after a quick answer (its body read deadline
// left to net/http), the same kept-alive connection, idle for longer than the body
// read timeout, serves the next request.
func TestQuickAnswerKeepsConnectionUsable(t *testing.T) {
	const timeout = 100 * time.Millisecond
	s := mustNew(t, WithBodyReadTimeout(timeout))
	hs := httptest.NewServer(s)
	t.Cleanup(hs.Close)
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 1}}
	t.Cleanup(client.CloseIdleConnections)
	reused := make([]bool, 2)
	for i := range reused {
		trace := &httptrace.ClientTrace{GotConn: func(info httptrace.GotConnInfo) { reused[i] = info.Reused }}
		req, err := http.NewRequest(http.MethodPost, hs.URL+"/v1/chat/completions", strings.NewReader(deadlineBody))
		if err != nil {
			t.Fatal(err)
		}
		res, err := client.Do(req.WithContext(httptrace.WithClientTrace(req.Context(), trace)))
		if err != nil {
			t.Fatalf("request %d on the kept-alive connection: %v", i+1, err)
		}
		readAll(t, res.Body)
		res.Body.Close()
		if res.StatusCode != http.StatusOK {
			t.Fatalf("request %d: status %d", i+1, res.StatusCode)
		}
		if i == 0 {
			// The subject of the test is the connection's idle time, longer than the
			// body read timeout left set by the quick answer.
			<-time.After(3 * timeout)
		}
	}
	if !reused[1] {
		t.Fatalf("the second request did not reuse the connection: the test proves nothing")
	}
}
