package load

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"

	"github.com/llmchaos/llmchaos/harness/tmpl"
)

// DefaultOpenAIModel is the model an openai-chat request names when Request.Model is empty.
const DefaultOpenAIModel = "gpt-4o-mini"

// openAIChat speaks OpenAI Chat Completions, streaming or not.
type openAIChat struct {
	model  string
	stream bool
	prompt string
}

var _ wireProtocol = (*openAIChat)(nil)

type openAIMessage struct {
	Role    string `json:"role"`
	Content string `json:"content"`
}

type openAIStreamOptions struct {
	IncludeUsage bool `json:"include_usage"`
}

type openAIRequest struct {
	Model         string               `json:"model"`
	Messages      []openAIMessage      `json:"messages"`
	User          string               `json:"user"`
	Stream        bool                 `json:"stream,omitempty"`
	StreamOptions *openAIStreamOptions `json:"stream_options,omitempty"`
}

func (p *openAIChat) defaults() (string, string) { return http.MethodPost, "/v1/chat/completions" }

func (p *openAIChat) success(status int) bool { return protoIs2xx(status) }

func (p *openAIChat) body(data *tmpl.Request) ([]byte, http.Header, error) {
	req := openAIRequest{
		Model:    p.model,
		Messages: []openAIMessage{{Role: "user", Content: protoPrompt(p.prompt, data.ID)}},
		User:     data.ID,
		Stream:   p.stream,
	}
	if p.stream {
		req.StreamOptions = &openAIStreamOptions{IncludeUsage: true}
	}
	b, err := json.Marshal(req)
	h := http.Header{"Content-Type": {"application/json"}}
	if p.stream {
		h.Set("Accept", "text/event-stream")
	}
	return b, h, err
}

// openAIError is the error object of an error body or an in-stream error frame.
type openAIError struct {
	Message string `json:"message"`
	Type    string `json:"type"`
	Code    any    `json:"code"`
}

func (e *openAIError) String() string {
	return fmt.Sprintf("%s: %s", e.Type, driverClip(e.Message, 120))
}

func (p *openAIChat) decode(body io.Reader, mark func()) protoDecoded {
	if p.stream {
		return p.decodeStream(body, mark)
	}
	b, failed, ok := protoReadBody(body)
	if !ok {
		return failed
	}
	var resp struct {
		Object  string `json:"object"`
		Choices []struct {
			Message struct {
				Content *string `json:"content"`
			} `json:"message"`
		} `json:"choices"`
		Error *openAIError `json:"error"`
	}
	if err := json.Unmarshal(b, &resp); err != nil {
		return protoDecoded{text: string(b), outcome: OutcomeMalformed, detail: "body is not a chat completion: " + err.Error()}
	}
	if resp.Error != nil {
		return protoDecoded{outcome: OutcomeHTTPError, detail: "error body with a 2xx status: " + resp.Error.String()}
	}
	if len(resp.Choices) == 0 || resp.Choices[0].Message.Content == nil {
		return protoDecoded{text: string(b), outcome: OutcomeMalformed, detail: "chat completion has no choices[0].message.content"}
	}
	return protoVerify(*resp.Choices[0].Message.Content)
}

// openAIChunk is one chat.completion.chunk (or an error frame).
type openAIChunk struct {
	Object  string `json:"object"`
	Choices []struct {
		Delta struct {
			Content string `json:"content"`
		} `json:"delta"`
	} `json:"choices"`
	Error *openAIError `json:"error"`
}

func (p *openAIChat) decodeStream(body io.Reader, mark func()) protoDecoded {
	sse := newProtoSSEReader(body)
	text := &protoText{mark: mark}
	for {
		ev, err := sse.next()
		switch {
		case err == io.EOF:
			return protoDecoded{text: text.String(), outcome: OutcomeIncomplete, detail: "stream ended without data: [DONE]"}
		case errors.Is(err, errProtoSSEMalformed):
			return protoDecoded{text: text.String(), outcome: OutcomeMalformed, detail: err.Error()}
		case err != nil:
			return protoDecoded{text: text.String(), readErr: err}
		}
		if ev.data == "[DONE]" {
			return protoVerify(text.String())
		}
		var c openAIChunk
		if err := json.Unmarshal([]byte(ev.data), &c); err != nil {
			return protoDecoded{text: text.String(), outcome: OutcomeMalformed, detail: fmt.Sprintf("stream frame %q does not parse: %v", driverClip(ev.data, 60), err)}
		}
		if c.Error != nil {
			return protoDecoded{text: text.String(), outcome: OutcomeHTTPError, detail: "stream error frame: " + c.Error.String()}
		}
		if c.Object != "chat.completion.chunk" {
			return protoDecoded{text: text.String(), outcome: OutcomeMalformed, detail: fmt.Sprintf("stream frame object is %q, want chat.completion.chunk", c.Object)}
		}
		for _, ch := range c.Choices[:min(len(c.Choices), 1)] {
			text.WriteString(ch.Delta.Content)
		}
	}
}
