package main

import (
	"context"
	"encoding/json"
	"net/http"
	"time"

	"github.com/anthropics/anthropic-sdk-go"
	"github.com/anthropics/anthropic-sdk-go/option"
	"github.com/anthropics/anthropic-sdk-go/packages/ssestream"
)

// anthropicProvider calls an Anthropic-format upstream with the official SDK, retries
// off, and translates its answers into OpenAI format.
type anthropicProvider struct {
	upstream  string
	model     string
	maxTokens int64
	client    anthropic.Client
}

var _ provider = (*anthropicProvider)(nil)

// newAnthropicProvider returns a provider for baseURL (without /v1) named upstream.
func newAnthropicProvider(upstream, baseURL, apiKey, model string, maxTokens int64, hc *http.Client) *anthropicProvider {
	return &anthropicProvider{
		upstream:  upstream,
		model:     model,
		maxTokens: maxTokens,
		client: anthropic.NewClient(
			option.WithBaseURL(baseURL),
			option.WithAPIKey(apiKey),
			option.WithMaxRetries(0),
			option.WithHTTPClient(hc),
		),
	}
}

func (p *anthropicProvider) name() string { return p.upstream }

func (p *anthropicProvider) complete(ctx context.Context, req *chatRequest, meta requestMeta) (*completion, error) {
	params, err := p.params(req, meta)
	if err != nil {
		return nil, err
	}
	msg, err := p.client.Messages.New(ctx, params, anthropicOptions(meta)...)
	if err != nil {
		return nil, err
	}
	var text string
	var calls []chatToolCall
	for _, b := range msg.Content {
		switch b.Type {
		case "text":
			text += b.Text
		case "tool_use":
			calls = append(calls, toolCall(b.ID, b.Name, string(b.Input)))
		}
	}
	message := map[string]any{"role": "assistant", "content": text}
	if len(calls) > 0 {
		message["tool_calls"] = calls
	}
	body := map[string]any{
		"id":      "chatcmpl-" + msg.ID,
		"object":  "chat.completion",
		"created": time.Now().Unix(),
		"model":   string(msg.Model),
		"choices": []any{map[string]any{
			"index": 0, "message": message, "finish_reason": finishReason(string(msg.StopReason)), "logprobs": nil,
		}},
		"usage": usage(msg.Usage.InputTokens, msg.Usage.OutputTokens),
	}
	raw, err := json.Marshal(body)
	if err != nil {
		return nil, err
	}
	return &completion{raw: raw, text: text, complete: msg.StopReason != "", toolsErr: callsWhole(calls)}, nil
}

// toolCall is an Anthropic tool_use as an OpenAI tool call.
func toolCall(id, name, input string) chatToolCall {
	var c chatToolCall
	c.ID, c.Type = id, "function"
	c.Function.Name, c.Function.Arguments = name, input
	return c
}

func (p *anthropicProvider) stream(ctx context.Context, req *chatRequest, meta requestMeta) (chunkStream, error) {
	params, err := p.params(req, meta)
	if err != nil {
		return nil, err
	}
	s := p.client.Messages.NewStreaming(ctx, params, anthropicOptions(meta)...)
	if err := s.Err(); err != nil {
		_ = s.Close()
		return nil, err
	}
	return &anthropicStream{
		s: s, created: time.Now().Unix(), model: req.Model,
		includeUsage: req.StreamOptions != nil && req.StreamOptions.IncludeUsage,
	}, nil
}

func anthropicOptions(meta requestMeta) []option.RequestOption {
	if meta.requestID == "" {
		return nil
	}
	return []option.RequestOption{option.WithHeader("X-Request-Id", meta.requestID)}
}

// params turns the OpenAI request into Anthropic params: system messages go to system,
// consecutive messages of one role merge (Anthropic wants them alternating; a tool
// result is a user turn), the user goes to metadata.user_id, tools and tool_choice are
// translated (tools.go).
func (p *anthropicProvider) params(req *chatRequest, meta requestMeta) (anthropic.MessageNewParams, error) {
	mp := anthropic.MessageNewParams{Model: anthropic.Model(p.model), MaxTokens: p.maxTokens}
	if req.MaxTokens != nil && *req.MaxTokens > 0 {
		mp.MaxTokens = *req.MaxTokens
	} else if req.MaxCompletionTokens != nil && *req.MaxCompletionTokens > 0 {
		mp.MaxTokens = *req.MaxCompletionTokens
	}
	if req.Temperature != nil {
		mp.Temperature = anthropic.Float(*req.Temperature)
	}
	for _, m := range req.Messages {
		if m.Role == "system" || m.Role == "developer" {
			mp.System = append(mp.System, anthropic.TextBlockParam{Text: string(m.Content)})
			continue
		}
		role := anthropic.MessageParamRoleUser
		if m.Role == "assistant" {
			role = anthropic.MessageParamRoleAssistant
		}
		blocks := anthropicBlocks(m)
		if len(blocks) == 0 {
			continue
		}
		if n := len(mp.Messages); n > 0 && mp.Messages[n-1].Role == role {
			mp.Messages[n-1].Content = append(mp.Messages[n-1].Content, blocks...)
			continue
		}
		mp.Messages = append(mp.Messages, anthropic.MessageParam{Role: role, Content: blocks})
	}
	if meta.user != "" {
		mp.Metadata.UserID = anthropic.String(meta.user)
	}
	tools, err := anthropicTools(req.Tools)
	if err != nil {
		return mp, err
	}
	if len(tools) > 0 {
		mp.Tools = tools
		mp.ToolChoice = anthropicToolChoice(req.ToolChoice, req.ParallelToolCalls)
	}
	return mp, nil
}

// anthropicStream translates Messages stream events into OpenAI chunks: message_start
// gives the role chunk, text deltas give content chunks, message_delta gives the
// finish_reason chunk (and usage), message_stop marks the proper end.
type anthropicStream struct {
	s            *ssestream.Stream[anthropic.MessageStreamEventUnion]
	id           string
	created      int64
	model        string
	includeUsage bool
	inTokens     int64
	cur          chunk
	stopped      bool
	pending      []chunk
	calls        []chatToolCall
	blockCall    map[int64]int  // content block index → tool call
	partial      map[int64]bool // blocks whose input fragments have begun
}

func (a *anthropicStream) next() bool {
	for {
		if len(a.pending) > 0 {
			a.cur, a.pending = a.pending[0], a.pending[1:]
			return true
		}
		if a.stopped || !a.s.Next() {
			return false
		}
		ev := a.s.Current()
		switch ev.Type {
		case "message_start":
			a.id = "chatcmpl-" + ev.Message.ID
			a.inTokens = ev.Message.Usage.InputTokens
			a.emit(map[string]any{"role": "assistant", "content": ""}, nil, "")
		case "content_block_start":
			if ev.ContentBlock.Type == "tool_use" {
				a.toolStart(ev.Index, ev.ContentBlock.ID, ev.ContentBlock.Name, ev.ContentBlock.Input)
			}
		case "content_block_delta":
			if ev.Delta.Type == "text_delta" && ev.Delta.Text != "" {
				a.emit(map[string]any{"content": ev.Delta.Text}, nil, ev.Delta.Text)
			}
			if ev.Delta.Type == "input_json_delta" && ev.Delta.PartialJSON != "" {
				a.toolArgs(ev.Index, ev.Delta.PartialJSON)
			}
		case "message_delta":
			if ev.Delta.StopReason != "" {
				fr := finishReason(string(ev.Delta.StopReason))
				a.emit(map[string]any{}, &fr, "")
			}
			if a.includeUsage {
				a.pending = append(a.pending, a.frame(nil, usage(a.inTokens, ev.Usage.OutputTokens), ""))
			}
		case "message_stop":
			a.stopped = true
		}
	}
}

// toolStart opens an OpenAI tool call for a tool_use block: its id and name, and the
// block's initial input as arguments until input_json_delta fragments replace it.
func (a *anthropicStream) toolStart(block int64, id, name string, input any) {
	if a.blockCall == nil {
		a.blockCall, a.partial = map[int64]int{}, map[int64]bool{}
	}
	n := len(a.calls)
	a.blockCall[block] = n
	initial, _ := json.Marshal(input)
	a.calls = append(a.calls, toolCall(id, name, string(initial)))
	a.emit(map[string]any{"tool_calls": []any{map[string]any{"index": n, "id": id, "type": "function",
		"function": map[string]any{"name": name, "arguments": ""}}}}, nil, "")
}

// toolArgs relays a fragment of a tool_use block's input as the call's arguments.
func (a *anthropicStream) toolArgs(block int64, frag string) {
	n, ok := a.blockCall[block]
	if !ok {
		return
	}
	if !a.partial[block] { // the first fragment replaces the initial input
		a.partial[block] = true
		a.calls[n].Function.Arguments = ""
	}
	a.calls[n].Function.Arguments += frag
	a.emit(map[string]any{"tool_calls": []any{map[string]any{"index": n, "function": map[string]any{"arguments": frag}}}}, nil, "")
}

func (a *anthropicStream) toolsErr() error { return callsWhole(a.calls) }

func (a *anthropicStream) emit(delta map[string]any, finish *string, content string) {
	choice := map[string]any{"index": 0, "delta": delta, "finish_reason": finish, "logprobs": nil}
	a.pending = append(a.pending, a.frame([]any{choice}, nil, content))
}

func (a *anthropicStream) frame(choices []any, u any, content string) chunk {
	if choices == nil {
		choices = []any{}
	}
	body := map[string]any{
		"id": a.id, "object": "chat.completion.chunk", "created": a.created, "model": a.model,
		"choices": choices,
	}
	if u != nil {
		body["usage"] = u
	}
	raw, _ := json.Marshal(body)
	return chunk{raw: raw, content: content}
}

func (a *anthropicStream) current() chunk { return a.cur }
func (a *anthropicStream) err() error     { return a.s.Err() }
func (a *anthropicStream) ended() bool    { return a.stopped && a.s.Err() == nil }
func (a *anthropicStream) close()         { _ = a.s.Close() }

// finishReason maps an Anthropic stop_reason to OpenAI's finish_reason.
func finishReason(stop string) string {
	switch stop {
	case "max_tokens":
		return "length"
	case "tool_use":
		return "tool_calls"
	case "refusal":
		return "content_filter"
	default:
		return "stop"
	}
}

func usage(in, out int64) map[string]any {
	return map[string]any{"prompt_tokens": in, "completion_tokens": out, "total_tokens": in + out}
}
