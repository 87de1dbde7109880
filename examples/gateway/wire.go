package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
)

// chatRequest is the part of an incoming OpenAI Chat Completions request the gateway uses.
type chatRequest struct {
	Model               string         `json:"model"`
	Messages            []chatMessage  `json:"messages"`
	Stream              bool           `json:"stream,omitempty"`
	User                string         `json:"user,omitempty"`
	MaxTokens           *int64         `json:"max_tokens,omitempty"`
	MaxCompletionTokens *int64         `json:"max_completion_tokens,omitempty"`
	Temperature         *float64       `json:"temperature,omitempty"`
	StreamOptions       *streamOptions `json:"stream_options,omitempty"`
	// Tools, ToolChoice and ParallelToolCalls are passed to the primary as they came and
	// translated for the secondary (tools.go).
	Tools             json.RawMessage `json:"tools,omitempty"`
	ToolChoice        json.RawMessage `json:"tool_choice,omitempty"`
	ParallelToolCalls *bool           `json:"parallel_tool_calls,omitempty"`
}

type streamOptions struct {
	IncludeUsage bool `json:"include_usage"`
}

// chatMessage is one message; content arrives as a string or as text parts and is kept
// as a string. An assistant message may carry tool calls; a tool message answers one.
type chatMessage struct {
	Role       string         `json:"role"`
	Content    textContent    `json:"content"`
	ToolCalls  []chatToolCall `json:"tool_calls,omitempty"`
	ToolCallID string         `json:"tool_call_id,omitempty"`
}

// chatToolCall is one tool call in OpenAI's format.
type chatToolCall struct {
	ID       string `json:"id"`
	Type     string `json:"type"`
	Function struct {
		Name      string `json:"name"`
		Arguments string `json:"arguments"`
	} `json:"function"`
}

// textContent is message content flattened to its text.
type textContent string

// UnmarshalJSON accepts a string, null, or an array of {"type":"text","text":...} parts.
func (t *textContent) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err == nil {
		*t = textContent(s)
		return nil
	}
	var parts []struct {
		Type string `json:"type"`
		Text string `json:"text"`
	}
	if err := json.Unmarshal(b, &parts); err != nil {
		if string(b) == "null" {
			return nil
		}
		return fmt.Errorf("message content is neither a string nor text parts: %w", err)
	}
	var sb strings.Builder
	for _, p := range parts {
		sb.WriteString(p.Text)
	}
	*t = textContent(sb.String())
	return nil
}

// decodeChatRequest reads and checks the request body.
func decodeChatRequest(r *http.Request) (*chatRequest, error) {
	var req chatRequest
	dec := json.NewDecoder(http.MaxBytesReader(nil, r.Body, 4<<20))
	if err := dec.Decode(&req); err != nil {
		return nil, fmt.Errorf("request body is not a chat completions request: %w", err)
	}
	if len(req.Messages) == 0 {
		return nil, fmt.Errorf("request has no messages")
	}
	if req.Model == "" {
		req.Model = "gpt-4o-mini"
	}
	return &req, nil
}

// readLimited reads a request body of at most limit bytes.
func readLimited(r *http.Request, limit int64) ([]byte, error) {
	b, err := io.ReadAll(http.MaxBytesReader(nil, r.Body, limit))
	if err != nil {
		return nil, fmt.Errorf("read the request body (at most %d bytes): %w", limit, err)
	}
	return b, nil
}

// writeJSONError answers status with an OpenAI-format error body.
func writeJSONError(w http.ResponseWriter, status int, typ, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(errorBody(typ, msg))
}

func errorBody(typ, msg string) map[string]any {
	return map[string]any{"error": map[string]any{"message": msg, "type": typ, "param": nil, "code": typ}}
}

// sseWriter writes OpenAI-style server-sent events.
type sseWriter struct {
	w       http.ResponseWriter
	flusher http.Flusher
}

func newSSEWriter(w http.ResponseWriter) *sseWriter {
	f, _ := w.(http.Flusher)
	return &sseWriter{w: w, flusher: f}
}

// begin sends the stream's headers.
func (s *sseWriter) begin() {
	h := s.w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-cache")
	h.Set("Connection", "keep-alive")
	s.w.WriteHeader(http.StatusOK)
}

// data writes one frame; the caller flushes.
func (s *sseWriter) data(b []byte) error {
	if _, err := s.w.Write([]byte("data: ")); err != nil {
		return err
	}
	if _, err := s.w.Write(b); err != nil {
		return err
	}
	_, err := s.w.Write([]byte("\n\n"))
	return err
}

func (s *sseWriter) flush() {
	if s.flusher != nil {
		s.flusher.Flush()
	}
}

// done ends a complete stream.
func (s *sseWriter) done() {
	_ = s.data([]byte("[DONE]"))
	s.flush()
}

// fail ends a stream that could not complete: an error frame and no [DONE].
func (s *sseWriter) fail(msg string) {
	b, _ := json.Marshal(errorBody("upstream_stream_error", msg))
	_ = s.data(b)
	s.flush()
}
