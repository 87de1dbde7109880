package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/llmchaos/llmchaos/mocks/control"
	"github.com/llmchaos/llmchaos/mocks/llm"
	"github.com/llmchaos/llmchaos/mocks/store"
)

// env is a gateway in front of mock upstreams, all on loopback.
type env struct {
	primary, secondary *llm.Server
	store              *store.Store
	cfg                Config
	srv                *server
	url                string
}

// testConfig has timeouts short enough for tests.
func testConfig() Config {
	c := DefaultConfig()
	c.AttemptTimeout = 400 * time.Millisecond
	c.StreamIdle = 400 * time.Millisecond
	c.AttemptTotal = 5 * time.Second
	c.BreakerOpen = 300 * time.Millisecond
	c.StoreTimeout = 200 * time.Millisecond
	return c
}

// serveMock serves h on a loopback port for the test's life and returns its base URL.
func serveMock(t *testing.T, h http.Handler) string {
	t.Helper()
	ts := httptest.NewServer(h)
	t.Cleanup(ts.Close)
	return ts.URL
}

// closedURL is the base URL of a loopback port nobody listens on: connections are refused.
func closedURL(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return "http://" + addr
}

// newEnv starts mocks and a gateway; edit adjusts the config before the gateway starts
// (URLs are already filled in: primary, secondary, store; no telemetry).
func newEnv(t *testing.T, edit func(*Config)) *env {
	t.Helper()
	e := &env{
		primary:   llm.New(llm.WithName("primary")),
		secondary: llm.New(llm.WithName("secondary")),
		store:     store.New(),
	}
	t.Cleanup(func() { _ = e.store.Close() })
	e.cfg = testConfig()
	e.cfg.PrimaryURL = serveMock(t, e.primary)
	e.cfg.SecondaryURL = serveMock(t, e.secondary)
	e.cfg.StoreURL = serveMock(t, e.store)
	if edit != nil {
		edit(&e.cfg)
	}
	srv, err := newServer(e.cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	e.srv = srv
	ts := httptest.NewServer(srv)
	t.Cleanup(func() {
		ts.Close()
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		_ = srv.Close(ctx)
	})
	e.url = ts.URL
	return e
}

// fault sets f on m for the rest of the test.
func fault(t *testing.T, m *llm.Server, f control.Fault) string {
	t.Helper()
	id, err := m.SetFault(f)
	if err != nil {
		t.Fatalf("set fault %+v: %v", f, err)
	}
	return id
}

// reply is what a client saw from one request.
type reply struct {
	status   int
	header   http.Header
	text     string // the assistant text, joined from the chunks for a stream
	done     bool   // the stream ended with data: [DONE]
	errFrame bool   // the stream carried an error frame
	latency  time.Duration
}

// ask sends one chat completion carrying correlation id id and reads the whole answer.
func ask(t *testing.T, base, id string, stream bool) reply {
	t.Helper()
	return askWith(t, base, "user-"+id, id, stream)
}

// askWith is ask with an explicit user.
func askWith(t *testing.T, base, user, id string, stream bool) reply {
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
	resp, err := (&http.Client{Timeout: 20 * time.Second}).Do(req)
	if err != nil {
		t.Fatalf("request %s: %v", id, err)
	}
	defer resp.Body.Close()
	r := reply{status: resp.StatusCode, header: resp.Header}
	if resp.StatusCode != http.StatusOK || !stream {
		raw, _ := io.ReadAll(resp.Body)
		r.latency = time.Since(start)
		if resp.StatusCode == http.StatusOK {
			var c struct {
				Choices []struct {
					Message struct{ Content string } `json:"message"`
				} `json:"choices"`
			}
			if err := json.Unmarshal(raw, &c); err != nil || len(c.Choices) == 0 {
				t.Fatalf("request %s: answer does not parse (%v): %s", id, err, raw)
			}
			r.text = c.Choices[0].Message.Content
		} else {
			r.text = string(raw)
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
		if r.done {
			t.Errorf("request %s: frame after [DONE]: %s", id, data)
		}
		if data == "[DONE]" {
			r.done = true
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
			r.errFrame = true
			continue
		}
		for _, ch := range c.Choices {
			sb.WriteString(ch.Delta.Content)
		}
	}
	r.text = sb.String()
	r.latency = time.Since(start)
	return r
}

// mustServe checks r is a whole answer from upstream for id and returns it.
func mustServe(t *testing.T, r reply, upstream, id string, stream bool) {
	t.Helper()
	if r.status != http.StatusOK {
		t.Fatalf("request %s: status %d: %s", id, r.status, r.text)
	}
	a, err := llm.Verify(r.text)
	if err != nil {
		t.Fatalf("request %s: %v (text %q)", id, err, r.text)
	}
	if a.Upstream != upstream || a.ID != id {
		t.Fatalf("request %s: served by %s for id %s, want %s for %s", id, a.Upstream, a.ID, upstream, id)
	}
	if stream && (!r.done || r.errFrame) {
		t.Fatalf("request %s: complete answer but stream done=%v errFrame=%v", id, r.done, r.errFrame)
	}
	if got := r.header.Get("X-Upstream"); got != upstream {
		t.Fatalf("request %s: X-Upstream %q, want %q", id, got, upstream)
	}
}

// attemptsFor counts the attempts m journaled for correlation id.
func attemptsFor(m *llm.Server, id string) int {
	n := 0
	for _, a := range m.Journal().Attempts() {
		if a.CorrelationID == id {
			n++
		}
	}
	return n
}
