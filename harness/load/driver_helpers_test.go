package load

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/llmchaos/llmchaos/harness/tmpl"
	"github.com/llmchaos/llmchaos/mocks/llm"
)

// driverTestSeed is the seed of the test answers.
const driverTestSeed = 7

// driverTestCarriers is what a test handler learnt of a request's correlation id.
type driverTestCarriers struct {
	Header, Body, Tag string
	Path              string
	Headers           http.Header
	RawBody           string
}

// driverTestRequest reads a request like the mocks do: the id from the header, the body
// (OpenAI user or Anthropic metadata.user_id) and the tag in the last message.
func driverTestRequest(r *http.Request) driverTestCarriers {
	b, _ := io.ReadAll(r.Body)
	var body struct {
		User     string `json:"user"`
		Metadata struct {
			UserID string `json:"user_id"`
		} `json:"metadata"`
		Messages []struct {
			Content string `json:"content"`
		} `json:"messages"`
	}
	_ = json.Unmarshal(b, &body)
	c := driverTestCarriers{Header: r.Header.Get("X-Request-Id"), Body: body.User, Path: r.URL.RequestURI(), Headers: r.Header.Clone(), RawBody: string(b)}
	if body.Metadata.UserID != "" {
		c.Body = body.Metadata.UserID
	}
	if n := len(body.Messages); n > 0 {
		c.Tag = llm.IDFromText(body.Messages[n-1].Content)
	}
	return c
}

// driverTestAnswer is the answer an upstream gives to id.
func driverTestAnswer(upstream, id string) []string {
	return llm.Tokens(driverTestSeed, upstream, id, 6)
}

// driverTestOpenAIFrames writes an OpenAI chat completion stream of tokens. done adds data: [DONE].
func driverTestOpenAIFrames(w http.ResponseWriter, tokens []string, done bool) {
	w.Header().Set("Content-Type", "text/event-stream")
	f := w.(http.Flusher)
	for i, t := range tokens {
		delta := map[string]any{"content": t}
		if i == 0 {
			delta["role"] = "assistant"
		}
		b, _ := json.Marshal(map[string]any{
			"id": "chatcmpl-1", "object": "chat.completion.chunk", "created": 1, "model": "m",
			"choices": []any{map[string]any{"index": 0, "delta": delta, "finish_reason": nil}},
		})
		fmt.Fprintf(w, "data: %s\n\n", b)
		f.Flush()
	}
	if done {
		fmt.Fprint(w, `data: {"id":"chatcmpl-1","object":"chat.completion.chunk","created":1,"model":"m","choices":[],"usage":{"prompt_tokens":1,"completion_tokens":1,"total_tokens":2}}`+"\n\n")
		fmt.Fprint(w, "data: [DONE]\n\n")
	}
}

// driverTestOpenAIJSON writes a non-streamed chat completion of text.
func driverTestOpenAIJSON(w http.ResponseWriter, text string) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(map[string]any{
		"id": "chatcmpl-1", "object": "chat.completion", "created": 1, "model": "m",
		"choices": []any{map[string]any{"index": 0, "message": map[string]any{"role": "assistant", "content": text}, "finish_reason": "stop"}},
	})
}

// driverTestAnthropicEvents writes an Anthropic Messages stream of tokens. stop adds message_stop.
func driverTestAnthropicEvents(w http.ResponseWriter, tokens []string, stop bool) {
	w.Header().Set("Content-Type", "text/event-stream")
	f := w.(http.Flusher)
	ev := func(name string, data any) {
		b, _ := json.Marshal(data)
		fmt.Fprintf(w, "event: %s\ndata: %s\n\n", name, b)
		f.Flush()
	}
	ev("message_start", map[string]any{"type": "message_start", "message": map[string]any{"id": "msg_1", "type": "message", "role": "assistant", "content": []any{}}})
	ev("content_block_start", map[string]any{"type": "content_block_start", "index": 0, "content_block": map[string]any{"type": "text", "text": ""}})
	ev("ping", map[string]any{"type": "ping"})
	for _, t := range tokens {
		ev("content_block_delta", map[string]any{"type": "content_block_delta", "index": 0, "delta": map[string]any{"type": "text_delta", "text": t}})
	}
	if stop {
		ev("content_block_stop", map[string]any{"type": "content_block_stop", "index": 0})
		ev("message_delta", map[string]any{"type": "message_delta", "delta": map[string]any{"stop_reason": "end_turn"}, "usage": map[string]any{"output_tokens": len(tokens)}})
		ev("message_stop", map[string]any{"type": "message_stop"})
	}
}

// driverTestAnthropicJSON writes a non-streamed Anthropic message of text.
func driverTestAnthropicJSON(w http.ResponseWriter, text string) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(map[string]any{
		"id": "msg_1", "type": "message", "role": "assistant", "model": "m", "stop_reason": "end_turn",
		"content": []any{map[string]any{"type": "text", "text": text}},
	})
}

// driverTestServer serves h on 127.0.0.1 for the test.
func driverTestServer(t *testing.T, h http.HandlerFunc) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv
}

// driverTestRun runs a driver for spec against url from now for dur and returns its
// samples sorted by Seq and Run's error.
func driverTestRun(t *testing.T, ctx context.Context, spec Spec, url string, dur time.Duration) ([]Sample, error) {
	t.Helper()
	d, err := NewDriver(spec, url, tmpl.Data{Scenario: "drv test"})
	if err != nil {
		t.Fatalf("NewDriver: %v", err)
	}
	rec := NewRecorder()
	err = d.Run(ctx, time.Now(), dur, func(time.Time) string { return "steady" }, rec.Record)
	return rec.Samples(), err
}

// driverTestOne runs one request (rate 100/s for 5 ms, timeout the default unless
// given) and returns its sample.
func driverTestOne(t *testing.T, req Request, url string, timeout ...time.Duration) Sample {
	t.Helper()
	spec := Spec{Rate: 100, Request: req}
	if len(timeout) > 0 {
		spec.Timeout = timeout[0]
	}
	ss, err := driverTestRun(t, context.Background(), spec, url, 5*time.Millisecond)
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	if len(ss) != 1 {
		t.Fatalf("got %d samples, want 1", len(ss))
	}
	return ss[0]
}

// driverTestIDs collects the carriers each request arrived with, goroutine-safe.
type driverTestIDs struct {
	mu   sync.Mutex
	seen []driverTestCarriers
}

func (c *driverTestIDs) add(x driverTestCarriers) {
	c.mu.Lock()
	c.seen = append(c.seen, x)
	c.mu.Unlock()
}

func (c *driverTestIDs) all() []driverTestCarriers {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]driverTestCarriers(nil), c.seen...)
}

// driverTestJoin is the whole answer text.
func driverTestJoin(tokens []string) string { return strings.Join(tokens, "") }
