package load

import (
	"encoding/json"
	"errors"
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
}

var _ wireProtocol = (*anthropicMessages)(nil)

type anthropicRequest struct {
	Model     string            `json:"model"`
	MaxTokens int               `json:"max_tokens"`
	Messages  []openAIMessage   `json:"messages"`
	Metadata  anthropicMetadata `json:"metadata"`
	Stream    bool              `json:"stream,omitempty"`
}

type anthropicMetadata struct {
	UserID string `json:"user_id"`
}

func (p *anthropicMessages) defaults() (string, string) { return http.MethodPost, "/v1/messages" }

func (p *anthropicMessages) success(status int) bool { return protoIs2xx(status) }

func (p *anthropicMessages) body(data *tmpl.Request) ([]byte, http.Header, error) {
	b, err := json.Marshal(anthropicRequest{
		Model:     p.model,
		MaxTokens: p.maxTokens,
		Messages:  []openAIMessage{{Role: "user", Content: protoPrompt(p.prompt, data.ID)}},
		Metadata:  anthropicMetadata{UserID: data.ID},
		Stream:    p.stream,
	})
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

func (p *anthropicMessages) decode(body io.Reader, mark func()) protoDecoded {
	if p.stream {
		return p.decodeStream(body, mark)
	}
	b, failed, ok := protoReadBody(body)
	if !ok {
		return failed
	}
	var msg struct {
		Type    string `json:"type"`
		Content []struct {
			Type string `json:"type"`
			Text string `json:"text"`
		} `json:"content"`
		Error *anthropicError `json:"error"`
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
	for _, c := range msg.Content {
		if c.Type == "text" {
			text.WriteString(c.Text)
		}
	}
	return protoVerify(text.String())
}

// anthropicEvent is the data of one stream event (the fields the driver reads).
type anthropicEvent struct {
	Type  string `json:"type"`
	Delta struct {
		Type string `json:"type"`
		Text string `json:"text"`
	} `json:"delta"`
	Error *anthropicError `json:"error"`
}

func (p *anthropicMessages) decodeStream(body io.Reader, mark func()) protoDecoded {
	sse := newProtoSSEReader(body)
	text := &protoText{mark: mark}
	started := false
	for {
		ev, err := sse.next()
		switch {
		case err == io.EOF:
			return protoDecoded{text: text.String(), outcome: OutcomeIncomplete, detail: "stream ended without message_stop"}
		case errors.Is(err, errProtoSSEMalformed):
			return protoDecoded{text: text.String(), outcome: OutcomeMalformed, detail: err.Error()}
		case err != nil:
			return protoDecoded{text: text.String(), readErr: err}
		}
		var e anthropicEvent
		if err := json.Unmarshal([]byte(ev.data), &e); err != nil {
			return protoDecoded{text: text.String(), outcome: OutcomeMalformed, detail: fmt.Sprintf("stream event %s data %q does not parse: %v", ev.name, driverClip(ev.data, 60), err)}
		}
		if ev.name != "" && ev.name != e.Type {
			return protoDecoded{text: text.String(), outcome: OutcomeMalformed, detail: fmt.Sprintf("stream event %q carries data of type %q", ev.name, e.Type)}
		}
		switch e.Type {
		case "ping":
			continue
		case "error":
			detail := "stream error event"
			if e.Error != nil {
				detail += ": " + e.Error.String()
			}
			return protoDecoded{text: text.String(), outcome: OutcomeHTTPError, detail: detail}
		case "message_start":
			if started {
				return protoDecoded{text: text.String(), outcome: OutcomeMalformed, detail: "stream has a second message_start"}
			}
			started = true
			continue
		}
		if !started {
			return protoDecoded{text: text.String(), outcome: OutcomeMalformed, detail: fmt.Sprintf("stream event %q before message_start", e.Type)}
		}
		switch e.Type {
		case "content_block_delta":
			if e.Delta.Type == "text_delta" {
				text.WriteString(e.Delta.Text)
			}
		case "message_stop":
			return protoVerify(text.String())
		}
	}
}
