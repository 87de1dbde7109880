package main

import (
	"context"
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
	res, err := p.client.Chat.Completions.New(ctx, openAIParams(req, meta), openAIOptions(meta)...)
	if err != nil {
		return nil, err
	}
	c := &completion{raw: []byte(res.RawJSON())}
	if len(res.Choices) > 0 {
		c.text = res.Choices[0].Message.Content
		c.complete = res.Choices[0].FinishReason != ""
	}
	return c, nil
}

func (p *openAIProvider) stream(ctx context.Context, req *chatRequest, meta requestMeta) (chunkStream, error) {
	s := p.client.Chat.Completions.NewStreaming(ctx, openAIParams(req, meta), openAIOptions(meta)...)
	if err := s.Err(); err != nil {
		_ = s.Close()
		return nil, err
	}
	return &openAIStream{s: s}, nil
}

func openAIOptions(meta requestMeta) []option.RequestOption {
	if meta.requestID == "" {
		return nil
	}
	return []option.RequestOption{option.WithHeader("X-Request-Id", meta.requestID)}
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
// error, so the stream counts as ended only once a chunk carried a finish_reason.
type openAIStream struct {
	s        *ssestream.Stream[openai.ChatCompletionChunk]
	cur      chunk
	finished bool
}

func (o *openAIStream) next() bool {
	if !o.s.Next() {
		return false
	}
	c := o.s.Current()
	o.cur = chunk{raw: []byte(c.RawJSON())}
	for _, ch := range c.Choices {
		o.cur.content += ch.Delta.Content
		if ch.FinishReason != "" {
			o.finished = true
		}
	}
	return true
}

func (o *openAIStream) current() chunk { return o.cur }
func (o *openAIStream) err() error     { return o.s.Err() }
func (o *openAIStream) ended() bool    { return o.finished && o.s.Err() == nil }
func (o *openAIStream) close()         { _ = o.s.Close() }
