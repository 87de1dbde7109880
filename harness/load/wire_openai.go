package load

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"

	"github.com/llmchaos/llmchaos/harness/tmpl"
)

// DefaultOpenAIModel is the model an openai-chat request names when Request.Model is
// empty, and the deployment of an azure-openai request.
const DefaultOpenAIModel = "gpt-4o-mini"

// AzureAPIVersion is the api-version an azure-openai request sends (the GA version the
// openai-go/azure examples use).
const AzureAPIVersion = "2024-10-21"

// openAIChat speaks OpenAI Chat Completions, streaming or not; with azure set, Azure
// OpenAI's (the deployment route, and the stream's prompt-filter chunk allowed).
type openAIChat struct {
	model  string
	stream bool
	prompt string
	tools  bool
	azure  bool
}

var (
	_ wireProtocol     = (*openAIChat)(nil)
	_ followUpProtocol = (*openAIChat)(nil)
)

type openAIMessage struct {
	Role    string `json:"role"`
	Content string `json:"content"`
}

type openAIStreamOptions struct {
	IncludeUsage bool `json:"include_usage"`
}

type openAIRequest struct {
	Model         string               `json:"model"`
	Messages      []any                `json:"messages"`
	User          string               `json:"user"`
	Stream        bool                 `json:"stream,omitempty"`
	StreamOptions *openAIStreamOptions `json:"stream_options,omitempty"`
	Tools         []openAIToolDef      `json:"tools,omitempty"`
	ToolChoice    string               `json:"tool_choice,omitempty"`
}

// openAIToolDef is DriverToolName in Chat Completions' tools.
type openAIToolDef struct {
	Type     string `json:"type"`
	Function struct {
		Name        string          `json:"name"`
		Description string          `json:"description"`
		Parameters  json.RawMessage `json:"parameters"`
		Strict      bool            `json:"strict"`
	} `json:"function"`
}

// openAIToolCall is one tool call, in an answer and in the follow-up's assistant message.
type openAIToolCall struct {
	Index    *int   `json:"index,omitempty"`
	ID       string `json:"id,omitempty"`
	Type     string `json:"type,omitempty"`
	Function struct {
		Name      string `json:"name,omitempty"`
		Arguments string `json:"arguments"`
	} `json:"function"`
}

func openAITools() []openAIToolDef {
	var t openAIToolDef
	t.Type = "function"
	t.Function.Name, t.Function.Description, t.Function.Parameters, t.Function.Strict = DriverToolName, driverToolDescription, driverToolSchema, true
	return []openAIToolDef{t}
}

func (p *openAIChat) defaults() (string, string) {
	if p.azure {
		return http.MethodPost, "/openai/deployments/" + url.PathEscape(p.model) + "/chat/completions?api-version=" + AzureAPIVersion
	}
	return http.MethodPost, "/v1/chat/completions"
}

func (p *openAIChat) success(status int) bool { return protoIs2xx(status) }

func (p *openAIChat) body(data *tmpl.Request) ([]byte, http.Header, error) {
	req := p.request(data)
	if p.tools {
		req.Tools, req.ToolChoice = openAITools(), "required"
	}
	return p.marshal(req)
}

func (p *openAIChat) request(data *tmpl.Request) openAIRequest {
	req := openAIRequest{
		Model:    p.model,
		Messages: []any{openAIMessage{Role: "user", Content: protoPrompt(p.prompt, data.ID)}},
		User:     data.ID,
		Stream:   p.stream,
	}
	if p.stream {
		req.StreamOptions = &openAIStreamOptions{IncludeUsage: true}
	}
	return req
}

// followUp is the turn after calls: the assistant's message with the calls, a tool
// message with each result, tool_choice auto.
func (p *openAIChat) followUp(data *tmpl.Request, calls []toolCallSeen) ([]byte, error) {
	req := p.request(data)
	asked := make([]openAIToolCall, len(calls))
	for i, c := range calls {
		asked[i].ID, asked[i].Type = c.id, "function"
		asked[i].Function.Name, asked[i].Function.Arguments = c.name, c.args
	}
	req.Messages = append(req.Messages, map[string]any{"role": "assistant", "content": nil, "tool_calls": asked})
	for _, c := range calls {
		req.Messages = append(req.Messages, map[string]any{"role": "tool", "tool_call_id": c.id, "content": toolResult(c)})
	}
	req.Tools, req.ToolChoice = openAITools(), "auto"
	b, _, err := p.marshal(req)
	return b, err
}

func (p *openAIChat) marshal(req openAIRequest) ([]byte, http.Header, error) {
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

func (p *openAIChat) decode(body io.Reader, mark func(), turn int) protoDecoded {
	if p.stream {
		return p.decodeStream(body, mark, turn)
	}
	b, failed, ok := protoReadBody(body)
	if !ok {
		return failed
	}
	var resp struct {
		Object  string `json:"object"`
		Choices []struct {
			Message struct {
				Content   *string          `json:"content"`
				ToolCalls []openAIToolCall `json:"tool_calls"`
			} `json:"message"`
			FinishReason string `json:"finish_reason"`
		} `json:"choices"`
		Error *openAIError `json:"error"`
	}
	if err := json.Unmarshal(b, &resp); err != nil {
		return protoDecoded{text: string(b), outcome: OutcomeMalformed, detail: "body is not a chat completion: " + err.Error()}
	}
	if resp.Error != nil {
		return protoDecoded{outcome: OutcomeHTTPError, detail: "error body with a 2xx status: " + resp.Error.String()}
	}
	if len(resp.Choices) == 0 || (resp.Choices[0].Message.Content == nil && len(resp.Choices[0].Message.ToolCalls) == 0) {
		return protoDecoded{text: string(b), outcome: OutcomeMalformed, detail: "chat completion has no choices[0].message.content or tool_calls"}
	}
	ch := resp.Choices[0]
	var calls []toolCallSeen
	for _, tc := range ch.Message.ToolCalls {
		calls = append(calls, toolCallSeen{id: tc.ID, name: tc.Function.Name, args: tc.Function.Arguments})
	}
	text := ""
	if ch.Message.Content != nil {
		text = *ch.Message.Content
	}
	return protoJudge(text, calls, openAIEnd(ch.FinishReason), p.tools && turn == 0)
}

// openAIEnd reads a finish_reason.
func openAIEnd(finish string) endReason {
	if finish == "length" || finish == "content_filter" {
		return endReason{early: "finish_reason " + finish}
	}
	return endReason{}
}

// openAIChunk is one chat.completion.chunk (or an error frame).
type openAIChunk struct {
	Object  string `json:"object"`
	Choices []struct {
		Delta struct {
			Content   string           `json:"content"`
			ToolCalls []openAIToolCall `json:"tool_calls"`
		} `json:"delta"`
		FinishReason string `json:"finish_reason"`
	} `json:"choices"`
	Error               *openAIError    `json:"error"`
	PromptFilterResults json.RawMessage `json:"prompt_filter_results"`
}

// azurePromptFilter reports whether c is Azure's first chunk: no choices, no object,
// the prompt's content filter results.
func (c *openAIChunk) azurePromptFilter() bool {
	return c.Object == "" && len(c.Choices) == 0 && len(c.PromptFilterResults) > 0
}

func (p *openAIChat) decodeStream(body io.Reader, mark func(), turn int) protoDecoded {
	sse := newProtoSSEReader(body)
	text := &protoText{mark: mark}
	calls := &callsSeen{mark: mark}
	var finish string
	for {
		ev, err := sse.next()
		switch {
		case err == io.EOF:
			return protoDecoded{text: text.String(), calls: calls.calls, outcome: OutcomeIncomplete, detail: "stream ended without data: [DONE]"}
		case errors.Is(err, errProtoSSEMalformed):
			return protoDecoded{text: text.String(), calls: calls.calls, outcome: OutcomeMalformed, detail: err.Error()}
		case err != nil:
			return protoDecoded{text: text.String(), calls: calls.calls, readErr: err}
		}
		if ev.data == "[DONE]" {
			return protoJudge(text.String(), calls.calls, openAIEnd(finish), p.tools && turn == 0)
		}
		var c openAIChunk
		if err := json.Unmarshal([]byte(ev.data), &c); err != nil {
			return protoDecoded{text: text.String(), calls: calls.calls, outcome: OutcomeMalformed, detail: fmt.Sprintf("stream frame %q does not parse: %v", driverClip(ev.data, 60), err)}
		}
		if c.Error != nil {
			return protoDecoded{text: text.String(), calls: calls.calls, outcome: OutcomeHTTPError, detail: "stream error frame: " + c.Error.String()}
		}
		if p.azure && c.azurePromptFilter() {
			continue
		}
		if c.Object != "chat.completion.chunk" {
			return protoDecoded{text: text.String(), calls: calls.calls, outcome: OutcomeMalformed, detail: fmt.Sprintf("stream frame object is %q, want chat.completion.chunk", c.Object)}
		}
		for _, ch := range c.Choices[:min(len(c.Choices), 1)] {
			text.WriteString(ch.Delta.Content)
			for _, tc := range ch.Delta.ToolCalls {
				i := 0
				if tc.Index != nil {
					i = *tc.Index
				}
				seen := calls.at(i)
				seen.id += tc.ID
				seen.name += tc.Function.Name
				seen.args += tc.Function.Arguments
			}
			if ch.FinishReason != "" {
				finish = ch.FinishReason
			}
		}
	}
}
