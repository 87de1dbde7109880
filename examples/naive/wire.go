package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
)

// chatRequest is the part of an incoming OpenAI Chat Completions request the app uses.
type chatRequest struct {
	Model      string          `json:"model"`
	Messages   []chatMessage   `json:"messages"`
	Stream     bool            `json:"stream,omitempty"`
	User       string          `json:"user,omitempty"`
	MaxTokens  *int64          `json:"max_tokens,omitempty"`
	Tools      json.RawMessage `json:"tools,omitempty"`
	ToolChoice json.RawMessage `json:"tool_choice,omitempty"`
}

// chatMessage is one message with its content flattened to text; tool calls and tool
// results are passed on as they came.
type chatMessage struct {
	Role       string          `json:"role"`
	Content    textContent     `json:"content"`
	ToolCalls  json.RawMessage `json:"tool_calls,omitempty"`
	ToolCallID string          `json:"tool_call_id,omitempty"`
}

// upstreamMessages writes the messages for the provider, tool calls included.
func upstreamMessages(msgs []chatMessage) []map[string]any {
	out := make([]map[string]any, 0, len(msgs))
	for _, m := range msgs {
		o := map[string]any{"role": m.Role, "content": string(m.Content)}
		if len(m.ToolCalls) > 0 {
			o["tool_calls"] = m.ToolCalls
		}
		if m.ToolCallID != "" {
			o["tool_call_id"] = m.ToolCallID
		}
		out = append(out, o)
	}
	return out
}

// textContent is message content as a string; it also accepts text parts.
type textContent string

// UnmarshalJSON accepts a string, null, or an array of {"type":"text","text":...} parts.
func (t *textContent) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err == nil {
		*t = textContent(s)
		return nil
	}
	var parts []struct {
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

func writeJSONError(w http.ResponseWriter, status int, typ, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(errorBody(typ, msg))
}

func errorBody(typ, msg string) map[string]any {
	return map[string]any{"error": map[string]any{"message": msg, "type": typ, "param": nil, "code": typ}}
}

// writeFrame writes one SSE data frame and flushes it.
func writeFrame(w http.ResponseWriter, b []byte) {
	_, _ = w.Write([]byte("data: "))
	_, _ = w.Write(b)
	_, _ = w.Write([]byte("\n\n"))
	if f, ok := w.(http.Flusher); ok {
		f.Flush()
	}
}
