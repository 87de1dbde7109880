package load

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/llmchaos/llmchaos/harness/tmpl"
)

// DefaultAnthropicModel is the model an anthropic-messages request names when Request.Model is empty.
const DefaultAnthropicModel = "claude-3-5-haiku-latest"

// DefaultMaxTokens is the max_tokens an anthropic-messages request asks for.
const DefaultMaxTokens = 1024

// AnthropicVersion is the anthropic-version header an anthropic-messages request sends.
const AnthropicVersion = "2023-06-01"

// anthropicMessages speaks the Anthropic Messages API, streaming or not.
type anthropicMessages struct {
	model     string
	stream    bool
	prompt    string
	maxTokens int
	tools     bool
}

var (
	_ wireProtocol     = (*anthropicMessages)(nil)
	_ followUpProtocol = (*anthropicMessages)(nil)
)

type anthropicRequest struct {
	Model      string            `json:"model"`
	MaxTokens  int               `json:"max_tokens"`
	Messages   []any             `json:"messages"`
	Metadata   anthropicMetadata `json:"metadata"`
	Stream     bool              `json:"stream,omitempty"`
	Tools      []anthropicTool   `json:"tools,omitempty"`
	ToolChoice *anthropicChoice  `json:"tool_choice,omitempty"`
}

// anthropicTool is DriverToolName in Messages' tools.
type anthropicTool struct {
	Name        string          `json:"name"`
	Description string          `json:"description"`
	InputSchema json.RawMessage `json:"input_schema"`
}

type anthropicChoice struct {
	Type string `json:"type"`
}

func anthropicTools() []anthropicTool {
	return []anthropicTool{{Name: DriverToolName, Description: driverToolDescription, InputSchema: driverToolSchema}}
}

type anthropicMetadata struct {
	UserID string `json:"user_id"`
}

func (p *anthropicMessages) defaults() (string, string) { return http.MethodPost, "/v1/messages" }

func (p *anthropicMessages) success(status int) bool { return protoIs2xx(status) }

func (p *anthropicMessages) request(data *tmpl.Request) anthropicRequest {
	return anthropicRequest{
		Model:     p.model,
		MaxTokens: p.maxTokens,
		Messages:  []any{openAIMessage{Role: "user", Content: protoPrompt(p.prompt, data.ID)}},
		Metadata:  anthropicMetadata{UserID: data.ID},
		Stream:    p.stream,
	}
}

func (p *anthropicMessages) body(data *tmpl.Request) ([]byte, http.Header, error) {
	req := p.request(data)
	if p.tools {
		req.Tools, req.ToolChoice = anthropicTools(), &anthropicChoice{Type: "any"}
	}
	return p.marshal(req)
}

// followUp is the turn after calls: the assistant's tool_use blocks, then a user
// message with a tool_result for each, tool_choice auto.
func (p *anthropicMessages) followUp(data *tmpl.Request, calls []toolCallSeen) ([]byte, error) {
	req := p.request(data)
	uses, results := make([]any, len(calls)), make([]any, len(calls))
	for i, c := range calls {
		uses[i] = map[string]any{"type": "tool_use", "id": c.id, "name": c.name, "input": json.RawMessage(c.args)}
		results[i] = map[string]any{"type": "tool_result", "tool_use_id": c.id, "content": toolResult(c)}
	}
	req.Messages = append(req.Messages, map[string]any{"role": "assistant", "content": uses}, map[string]any{"role": "user", "content": results})
	req.Tools, req.ToolChoice = anthropicTools(), &anthropicChoice{Type: "auto"}
	b, _, err := p.marshal(req)
	return b, err
}

func (p *anthropicMessages) marshal(req anthropicRequest) ([]byte, http.Header, error) {
	b, err := json.Marshal(req)
	h := http.Header{"Content-Type": {"application/json"}, "Anthropic-Version": {AnthropicVersion}}
	if p.stream {
		h.Set("Accept", "text/event-stream")
	}
	return b, h, err
}

// anthropicError is the error object of an error body or an error event.
type anthropicError struct {
	Type    string `json:"type"`
	Message string `json:"message"`
}

func (e *anthropicError) String() string {
	return fmt.Sprintf("%s: %s", e.Type, driverClip(e.Message, 120))
}

func (p *anthropicMessages) decode(body io.Reader, mark func(), turn int) protoDecoded {
	if p.stream {
		return p.decodeStream(body, mark, turn)
	}
	b, failed, ok := protoReadBody(body)
	if !ok {
		return failed
	}
	var msg struct {
		Type    string `json:"type"`
		Content []struct {
			Type  string          `json:"type"`
			Text  string          `json:"text"`
			ID    string          `json:"id"`
			Name  string          `json:"name"`
			Input json.RawMessage `json:"input"`
		} `json:"content"`
		StopReason string          `json:"stop_reason"`
		Error      *anthropicError `json:"error"`
	}
	if err := json.Unmarshal(b, &msg); err != nil {
		return protoDecoded{text: string(b), outcome: OutcomeMalformed, detail: "body is not a message: " + err.Error()}
	}
	if msg.Type == "error" && msg.Error != nil {
		return protoDecoded{outcome: OutcomeHTTPError, detail: "error body with a 2xx status: " + msg.Error.String()}
	}
	if msg.Type != "message" {
		return protoDecoded{text: string(b), outcome: OutcomeMalformed, detail: fmt.Sprintf("body type is %q, want message", msg.Type)}
	}
	var text strings.Builder
	var calls []toolCallSeen
	for _, c := range msg.Content {
		switch c.Type {
		case "text":
			text.WriteString(c.Text)
		case "tool_use":
			calls = append(calls, toolCallSeen{id: c.ID, name: c.Name, args: string(c.Input)})
		}
	}
	return protoJudge(text.String(), calls, anthropicEnd(msg.StopReason), p.tools && turn == 0)
}

// anthropicEnd reads a stop_reason.
func anthropicEnd(stop string) endReason {
	switch stop {
	case "max_tokens", "refusal", "model_context_window_exceeded":
		return endReason{early: "stop_reason " + stop}
	}
	return endReason{}
}

// anthropicEvent is the data of one stream event (the fields the driver reads).
type anthropicEvent struct {
	Type  string `json:"type"`
	Index int    `json:"index"`
	Delta struct {
		Type        string `json:"type"`
		Text        string `json:"text"`
		PartialJSON string `json:"partial_json"`
		StopReason  string `json:"stop_reason"`
	} `json:"delta"`
	ContentBlock struct {
		Type  string          `json:"type"`
		ID    string          `json:"id"`
		Name  string          `json:"name"`
		Input json.RawMessage `json:"input"`
	} `json:"content_block"`
	Error *anthropicError `json:"error"`
}

// anthropicStream is what a Messages stream gathered so far.
type anthropicStream struct {
	text    *protoText
	calls   callsSeen
	blocks  map[int]int // content block index → call index
	partial map[int]bool
	stop    string
	started bool
}

func (st *anthropicStream) decoded(outcome Outcome, detail string) protoDecoded {
	return protoDecoded{text: st.text.String(), calls: st.calls.calls, outcome: outcome, detail: detail}
}

func (p *anthropicMessages) decodeStream(body io.Reader, mark func(), turn int) protoDecoded {
	st := &anthropicStream{text: &protoText{mark: mark}, calls: callsSeen{mark: mark}, blocks: map[int]int{}, partial: map[int]bool{}}
	return decodeSSEStream(body, st, p.tools && turn == 0, "stream ended without message_stop")
}

// event takes one stream event; done is true with the judgement when the stream is over.
func (st *anthropicStream) event(ev protoSSEEvent, wantCalls bool) (protoDecoded, bool) {
	var e anthropicEvent
	if err := json.Unmarshal([]byte(ev.data), &e); err != nil {
		return st.decoded(OutcomeMalformed, fmt.Sprintf("stream event %s data %q does not parse: %v", ev.name, driverClip(ev.data, 60), err)), true
	}
	if ev.name != "" && ev.name != e.Type {
		return st.decoded(OutcomeMalformed, fmt.Sprintf("stream event %q carries data of type %q", ev.name, e.Type)), true
	}
	switch e.Type {
	case "ping":
		return protoDecoded{}, false
	case "error":
		detail := "stream error event"
		if e.Error != nil {
			detail += ": " + e.Error.String()
		}
		return st.decoded(OutcomeHTTPError, detail), true
	case "message_start":
		if st.started {
			return st.decoded(OutcomeMalformed, "stream has a second message_start"), true
		}
		st.started = true
		return protoDecoded{}, false
	}
	if !st.started {
		return st.decoded(OutcomeMalformed, fmt.Sprintf("stream event %q before message_start", e.Type)), true
	}
	switch e.Type {
	case "content_block_start":
		st.blockStart(e)
	case "content_block_delta":
		st.blockDelta(e)
	case "message_delta":
		st.stop = e.Delta.StopReason
	case "message_stop":
		return protoJudge(st.text.String(), st.calls.calls, anthropicEnd(st.stop), wantCalls), true
	}
	return protoDecoded{}, false
}

// blockStart opens a content block: a tool_use block is a call, its input {} until deltas come.
func (st *anthropicStream) blockStart(e anthropicEvent) {
	if e.ContentBlock.Type != "tool_use" {
		return
	}
	st.blocks[e.Index] = len(st.calls.calls)
	c := st.calls.at(len(st.calls.calls))
	c.id, c.name, c.args = e.ContentBlock.ID, e.ContentBlock.Name, string(e.ContentBlock.Input)
}

// blockDelta adds text, or a fragment of a call's input (which then replaces the {}).
func (st *anthropicStream) blockDelta(e anthropicEvent) {
	switch e.Delta.Type {
	case "text_delta":
		st.text.WriteString(e.Delta.Text)
	case "input_json_delta":
		i, ok := st.blocks[e.Index]
		if !ok || e.Delta.PartialJSON == "" {
			return
		}
		c := st.calls.at(i)
		if !st.partial[i] {
			c.args, st.partial[i] = "", true
		}
		c.args += e.Delta.PartialJSON
	}
}
