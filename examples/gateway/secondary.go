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
	msg, err := p.client.Messages.New(ctx, p.params(req, meta), anthropicOptions(meta)...)
	if err != nil {
		return nil, err
	}
	var text string
	for _, b := range msg.Content {
		if b.Type == "text" {
			text += b.Text
		}
	}
	body := map[string]any{
		"id":      "chatcmpl-" + msg.ID,
		"object":  "chat.completion",
		"created": time.Now().Unix(),
		"model":   string(msg.Model),
		"choices": []any{map[string]any{
			"index":         0,
			"message":       map[string]any{"role": "assistant", "content": text},
			"finish_reason": finishReason(string(msg.StopReason)),
			"logprobs":      nil,
		}},
		"usage": usage(msg.Usage.InputTokens, msg.Usage.OutputTokens),
	}
	raw, err := json.Marshal(body)
	if err != nil {
		return nil, err
	}
	return &completion{raw: raw, text: text, complete: msg.StopReason != ""}, nil
}

func (p *anthropicProvider) stream(ctx context.Context, req *chatRequest, meta requestMeta) (chunkStream, error) {
	s := p.client.Messages.NewStreaming(ctx, p.params(req, meta), anthropicOptions(meta)...)
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
// consecutive messages of one role merge (Anthropic wants them alternating), the user
// goes to metadata.user_id.
func (p *anthropicProvider) params(req *chatRequest, meta requestMeta) anthropic.MessageNewParams {
	mp := anthropic.MessageNewParams{Model: anthropic.Model(p.model), MaxTokens: p.maxTokens}
	if req.MaxTokens != nil && *req.MaxTokens > 0 {
		mp.MaxTokens = *req.MaxTokens
	} else if req.MaxCompletionTokens != nil && *req.MaxCompletionTokens > 0 {
		mp.MaxTokens = *req.MaxCompletionTokens
	}
	if req.Temperature != nil {
		mp.Temperature = anthropic.Float(*req.Temperature)
	}
	type turn struct{ role, text string }
	var turns []turn
	for _, m := range req.Messages {
		text := string(m.Content)
		switch m.Role {
		case "system", "developer":
			mp.System = append(mp.System, anthropic.TextBlockParam{Text: text})
			continue
		}
		role := "user"
		if m.Role == "assistant" {
			role = "assistant"
		}
		if n := len(turns); n > 0 && turns[n-1].role == role {
			turns[n-1].text += "\n\n" + text
			continue
		}
		turns = append(turns, turn{role, text})
	}
	for _, t := range turns {
		if t.role == "assistant" {
			mp.Messages = append(mp.Messages, anthropic.NewAssistantMessage(anthropic.NewTextBlock(t.text)))
		} else {
			mp.Messages = append(mp.Messages, anthropic.NewUserMessage(anthropic.NewTextBlock(t.text)))
		}
	}
	if meta.user != "" {
		mp.Metadata.UserID = anthropic.String(meta.user)
	}
	return mp
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
		case "content_block_delta":
			if ev.Delta.Type == "text_delta" && ev.Delta.Text != "" {
				a.emit(map[string]any{"content": ev.Delta.Text}, nil, ev.Delta.Text)
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
