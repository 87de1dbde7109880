package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"

	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/option"
	"github.com/openai/openai-go/v3/packages/ssestream"
	"github.com/openai/openai-go/v3/shared"
)

// openAIProvider calls an OpenAI-format upstream with the official SDK, retries off:
// the gateway owns retries.
type openAIProvider struct {
	upstream string
	client   openai.Client
	model    string // when set, the model (Azure: the deployment) every request names
	azure    bool   // Azure OpenAI: drop its stream's prompt-filter chunk
}

var _ provider = (*openAIProvider)(nil)

// newOpenAIProvider returns a provider for baseURL (without /v1) named upstream.
func newOpenAIProvider(upstream, baseURL, apiKey string, hc *http.Client) *openAIProvider {
	return &openAIProvider{
		upstream: upstream,
		client: openai.NewClient(
			option.WithBaseURL(baseURL+"/v1"),
			option.WithAPIKey(apiKey),
			option.WithMaxRetries(0),
			option.WithHTTPClient(hc),
		),
	}
}

func (p *openAIProvider) name() string { return p.upstream }

func (p *openAIProvider) complete(ctx context.Context, req *chatRequest, meta requestMeta) (*completion, error) {
	res, err := p.client.Chat.Completions.New(ctx, p.params(req, meta), openAIOptions(req, meta)...)
	if err != nil {
		return nil, err
	}
	c := &completion{raw: []byte(res.RawJSON())}
	if len(res.Choices) > 0 {
		c.text = res.Choices[0].Message.Content
		c.complete = res.Choices[0].FinishReason != ""
		var calls []chatToolCall
		_ = json.Unmarshal([]byte(res.Choices[0].Message.JSON.ToolCalls.Raw()), &calls)
		c.toolsErr = callsWhole(calls)
	}
	return c, nil
}

func (p *openAIProvider) stream(ctx context.Context, req *chatRequest, meta requestMeta) (chunkStream, error) {
	s := p.client.Chat.Completions.NewStreaming(ctx, p.params(req, meta), openAIOptions(req, meta)...)
	if err := s.Err(); err != nil {
		_ = s.Close()
		return nil, err
	}
	return &openAIStream{s: s, dropEmpty: p.azure}, nil
}

// params is openAIParams with the provider's model, when it has one.
func (p *openAIProvider) params(req *chatRequest, meta requestMeta) openai.ChatCompletionNewParams {
	params := openAIParams(req, meta)
	if p.model != "" {
		params.Model = shared.ChatModel(p.model)
	}
	return params
}

// openAIOptions are the request options: the correlation header, the messages as they
// came (tool calls and tool results included), the tools and tool choice.
func openAIOptions(req *chatRequest, meta requestMeta) []option.RequestOption {
	opts := []option.RequestOption{option.WithJSONSet("messages", openAIMessages(req.Messages))}
	if len(req.Tools) > 0 {
		opts = append(opts, option.WithJSONSet("tools", req.Tools))
	}
	if len(req.ToolChoice) > 0 {
		opts = append(opts, option.WithJSONSet("tool_choice", req.ToolChoice))
	}
	if req.ParallelToolCalls != nil {
		opts = append(opts, option.WithJSONSet("parallel_tool_calls", *req.ParallelToolCalls))
	}
	if meta.requestID != "" {
		opts = append(opts, option.WithHeader("X-Request-Id", meta.requestID))
	}
	return opts
}

// openAIParams turns the incoming request into SDK params, keeping messages and user.
func openAIParams(req *chatRequest, meta requestMeta) openai.ChatCompletionNewParams {
	p := openai.ChatCompletionNewParams{Model: shared.ChatModel(req.Model)}
	for _, m := range req.Messages {
		text := string(m.Content)
		switch m.Role {
		case "system":
			p.Messages = append(p.Messages, openai.SystemMessage(text))
		case "developer":
			p.Messages = append(p.Messages, openai.DeveloperMessage(text))
		case "assistant":
			p.Messages = append(p.Messages, openai.AssistantMessage(text))
		default:
			p.Messages = append(p.Messages, openai.UserMessage(text))
		}
	}
	if meta.user != "" {
		p.User = openai.String(meta.user)
	}
	if req.MaxTokens != nil {
		p.MaxTokens = openai.Int(*req.MaxTokens)
	}
	if req.MaxCompletionTokens != nil {
		p.MaxCompletionTokens = openai.Int(*req.MaxCompletionTokens)
	}
	if req.Temperature != nil {
		p.Temperature = openai.Float(*req.Temperature)
	}
	if req.Stream && req.StreamOptions != nil && req.StreamOptions.IncludeUsage {
		p.StreamOptions.IncludeUsage = openai.Bool(true)
	}
	return p
}

// openAIStream relays the SDK's chunks verbatim. The SDK ends a cut stream without an
// error, so the stream counts as ended only once a chunk carried a finish_reason. It
// gathers the tool calls' arguments, to tell whole calls from cut ones.
type openAIStream struct {
	s        *ssestream.Stream[openai.ChatCompletionChunk]
	cur      chunk
	finished bool
	calls    []chatToolCall
	// badIndex is a tool call index out of [0, MaxToolCalls) the stream sent (0: none).
	badIndex int64
	// dropEmpty skips chunks with neither choices nor usage: Azure's first chunk (its
	// prompt_filter_results, "object": ""), which OpenAI clients do not expect.
	dropEmpty bool
}

// MaxToolCalls bounds the tool calls of one streamed answer the gateway gathers: a
// chunk with a call index beyond it makes the answer's calls unusable (toolsErr), never
// a list grown to the index an upstream sent.
const MaxToolCalls = 128

func (o *openAIStream) next() bool {
	if !o.s.Next() {
		return false
	}
	c := o.s.Current()
	for o.dropEmpty && len(c.Choices) == 0 && !c.JSON.Usage.Valid() {
		if !o.s.Next() {
			return false
		}
		c = o.s.Current()
	}
	o.cur = chunk{raw: []byte(c.RawJSON())}
	for _, ch := range c.Choices {
		o.cur.content += ch.Delta.Content
		for _, tc := range ch.Delta.ToolCalls {
			if tc.Index < 0 || tc.Index >= MaxToolCalls {
				o.badIndex = tc.Index
				continue
			}
			for int(tc.Index) >= len(o.calls) {
				o.calls = append(o.calls, chatToolCall{})
			}
			call := &o.calls[tc.Index]
			call.ID += tc.ID
			call.Function.Name += tc.Function.Name
			call.Function.Arguments += tc.Function.Arguments
		}
		if ch.FinishReason != "" {
			o.finished = true
		}
	}
	return true
}

func (o *openAIStream) toolsErr() error {
	if o.badIndex != 0 {
		return fmt.Errorf("a tool call index %d outside [0, %d): MaxToolCalls", o.badIndex, MaxToolCalls)
	}
	return callsWhole(o.calls)
}

func (o *openAIStream) current() chunk { return o.cur }
func (o *openAIStream) err() error     { return o.s.Err() }
func (o *openAIStream) ended() bool    { return o.finished && o.s.Err() == nil }
func (o *openAIStream) close()         { _ = o.s.Close() }
