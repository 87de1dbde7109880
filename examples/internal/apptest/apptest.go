// Package apptest is what the reference apps' tests share: mock upstreams on loopback, a
// chat client that reads whole answers (streamed or not), and the checks on them. Only
// the apps' _test files import it; the apps themselves import nothing of the project.
package apptest

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/onsi/gomega"

	"github.com/llmchaos/llmchaos/mocks/control"
	"github.com/llmchaos/llmchaos/mocks/llm"
	"github.com/llmchaos/llmchaos/mocks/store"
	"github.com/llmchaos/llmchaos/mocks/telemetry"
)

// NewLLM returns a mock LLM provider answering as name, or fails the test.
func NewLLM(t testing.TB, name string) *llm.Server {
	t.Helper()
	s, err := llm.New(llm.WithName(name))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// NewStore returns a mock history store, closed when the test ends, or fails the test.
func NewStore(t testing.TB) *store.Store {
	t.Helper()
	s, err := store.New()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}

// NewCollector returns a mock OTLP collector, closed when the test ends, or fails the test.
func NewCollector(t testing.TB) *telemetry.Collector {
	t.Helper()
	c, err := telemetry.New()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Close() })
	return c
}

// ServeMock serves h on a loopback port for the test's life and returns its base URL.
func ServeMock(t testing.TB, h http.Handler) string {
	t.Helper()
	ts := httptest.NewServer(h)
	t.Cleanup(ts.Close)
	return ts.URL
}

// ClosedURL is the base URL of a loopback port nobody listens on: connections are refused.
func ClosedURL(t testing.TB) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return "http://" + addr
}

// SetFault sets f on m for the rest of the test and returns its id.
func SetFault(t testing.TB, m control.Mock, f control.Fault) string {
	t.Helper()
	id, err := m.SetFault(f)
	if err != nil {
		t.Fatalf("set fault %+v: %v", f, err)
	}
	return id
}

// EventuallyAttemptsFor waits until m's journal holds n attempts carrying id (a mock
// journals an attempt when its handler returns, which may be just after the client read
// the answer), and fails the test if it never does.
func EventuallyAttemptsFor(t testing.TB, m control.Mock, id string, n int) {
	t.Helper()
	gomega.NewWithT(t).Eventually(func() int { return AttemptsFor(m, id) }).
		WithTimeout(5*time.Second).WithPolling(5*time.Millisecond).Should(gomega.Equal(n), "attempts carrying %s", id)
}

// Settled waits until every attempt m began has been journaled (a mock journals an
// attempt when its handler returns, which may be just after the client read the answer)
// and returns m's journal then; it fails the test if an attempt is still open after 5 s.
func Settled(t testing.TB, m control.Mock) []control.Attempt {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := m.Journal().Settle(ctx); err != nil {
		t.Fatalf("%s: attempts begun but not journaled after 5 s: %v", m.Name(), err)
	}
	return m.Journal().Attempts()
}

// AttemptsFor counts the attempts m journaled for correlation id.
func AttemptsFor(m control.Mock, id string) int {
	n := 0
	for _, a := range m.Journal().Attempts() {
		if a.CorrelationID == id {
			n++
		}
	}
	return n
}

// Reply is what a client saw from one request.
type Reply struct {
	Status    int
	Header    http.Header
	Text      string // the assistant text, joined from the chunks for a stream
	Done      bool   // the stream ended with data: [DONE]
	ErrFrame  bool   // the stream carried an error frame
	Latency   time.Duration
	ClientErr error // the client gave up (timeout) or could not connect
}

// Ask sends one chat completion for user carrying correlation id id (header and message
// tag) to the app at base and reads the whole answer, within timeout.
func Ask(t testing.TB, base, user, id string, stream bool, timeout time.Duration) Reply {
	t.Helper()
	body, _ := json.Marshal(map[string]any{
		"model":  "gpt-4o-mini",
		"stream": stream,
		"user":   user,
		"messages": []map[string]string{
			{"role": "system", "content": "be brief"},
			{"role": "user", "content": "hello " + llm.Tag(id)},
		},
	})
	req, _ := http.NewRequest(http.MethodPost, base+"/v1/chat/completions", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Request-Id", id)
	start := time.Now()
	resp, err := (&http.Client{Timeout: timeout}).Do(req)
	if err != nil {
		return Reply{ClientErr: err, Latency: time.Since(start)}
	}
	defer resp.Body.Close()
	r := Reply{Status: resp.StatusCode, Header: resp.Header}
	if resp.StatusCode != http.StatusOK || !stream {
		raw, _ := io.ReadAll(resp.Body)
		r.Latency = time.Since(start)
		if resp.StatusCode == http.StatusOK {
			var c struct {
				Choices []struct {
					Message struct{ Content string } `json:"message"`
				} `json:"choices"`
			}
			if err := json.Unmarshal(raw, &c); err != nil || len(c.Choices) == 0 {
				t.Fatalf("request %s: answer does not parse (%v): %s", id, err, raw)
			}
			r.Text = c.Choices[0].Message.Content
		} else {
			r.Text = string(raw)
		}
		return r
	}
	var sb strings.Builder
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		data, ok := strings.CutPrefix(sc.Text(), "data: ")
		if !ok {
			continue
		}
		if r.Done {
			t.Errorf("request %s: frame after [DONE]: %s", id, data)
		}
		if data == "[DONE]" {
			r.Done = true
			continue
		}
		var c struct {
			Error   json.RawMessage `json:"error"`
			Choices []struct {
				Delta struct{ Content string } `json:"delta"`
			} `json:"choices"`
		}
		if err := json.Unmarshal([]byte(data), &c); err != nil {
			t.Fatalf("request %s: frame does not parse: %s", id, data)
		}
		if c.Error != nil {
			r.ErrFrame = true
			continue
		}
		for _, ch := range c.Choices {
			sb.WriteString(ch.Delta.Content)
		}
	}
	r.Text = sb.String()
	r.Latency = time.Since(start)
	return r
}

// MustServe checks r is a whole answer from upstream for id (and, for a stream, that it
// ended with [DONE] and no error frame).
func MustServe(t testing.TB, r Reply, upstream, id string, stream bool) {
	t.Helper()
	if r.ClientErr != nil || r.Status != http.StatusOK {
		t.Fatalf("request %s: status %d (%v): %s", id, r.Status, r.ClientErr, r.Text)
	}
	a, err := llm.Verify(r.Text)
	if err != nil {
		t.Fatalf("request %s: %v (text %q)", id, err, r.Text)
	}
	if a.Upstream != upstream || a.ID != id {
		t.Fatalf("request %s: served by %s for id %s, want %s for %s", id, a.Upstream, a.ID, upstream, id)
	}
	if stream && (!r.Done || r.ErrFrame) {
		t.Fatalf("request %s: complete answer but stream done=%v errFrame=%v", id, r.Done, r.ErrFrame)
	}
}
