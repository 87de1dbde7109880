package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime/types"
)

// bedrockProvider calls Amazon Bedrock's Converse API with the AWS SDK for Go v2
// (bedrockruntime), retries off (aws.NopRetryer: the gateway owns retries), and
// translates its answers into OpenAI format. The endpoint is TERTIARY_URL; requests are
// signed (SigV4) with AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY for AWS_REGION.
type bedrockProvider struct {
	upstream  string
	model     string
	maxTokens int64
	client    *bedrockruntime.Client
}

var _ provider = (*bedrockProvider)(nil)

func newBedrockProvider(upstream string, cfg Config, hc *http.Client) *bedrockProvider {
	model := cfg.TertiaryModel
	if model == "" {
		model = DefaultBedrockModel
	}
	creds := aws.Credentials{AccessKeyID: cfg.AWSAccessKey, SecretAccessKey: cfg.AWSSecretKey, Source: "gateway config"}
	return &bedrockProvider{
		upstream: upstream, model: model, maxTokens: cfg.MaxTokens,
		client: bedrockruntime.New(bedrockruntime.Options{
			Region:       cfg.AWSRegion,
			BaseEndpoint: aws.String(cfg.TertiaryURL),
			Credentials:  aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) { return creds, nil }),
			HTTPClient:   ownBodyClient{hc},
			Retryer:      aws.NopRetryer{},
		}),
	}
}

func (p *bedrockProvider) name() string { return p.upstream }

// converse turns the OpenAI request into Converse's: system messages go to system,
// consecutive messages of one role merge (Converse wants them alternating).
func (p *bedrockProvider) converse(req *chatRequest) ([]types.SystemContentBlock, []types.Message, *types.InferenceConfiguration) {
	var system []types.SystemContentBlock
	var msgs []types.Message
	for _, m := range req.Messages {
		text := string(m.Content)
		if m.Role == "system" || m.Role == "developer" {
			system = append(system, &types.SystemContentBlockMemberText{Value: text})
			continue
		}
		role := types.ConversationRoleUser
		if m.Role == "assistant" {
			role = types.ConversationRoleAssistant
		}
		if n := len(msgs); n > 0 && msgs[n-1].Role == role {
			prev := msgs[n-1].Content[0].(*types.ContentBlockMemberText)
			prev.Value += "\n\n" + text
			continue
		}
		msgs = append(msgs, types.Message{Role: role, Content: []types.ContentBlock{&types.ContentBlockMemberText{Value: text}}})
	}
	maxTokens := p.maxTokens
	if req.MaxTokens != nil && *req.MaxTokens > 0 {
		maxTokens = *req.MaxTokens
	}
	return system, msgs, &types.InferenceConfiguration{MaxTokens: aws.Int32(int32(min(maxTokens, 1<<30)))}
}

func (p *bedrockProvider) complete(ctx context.Context, req *chatRequest, _ requestMeta) (*completion, error) {
	system, msgs, inf := p.converse(req)
	out, err := p.client.Converse(ctx, &bedrockruntime.ConverseInput{ModelId: aws.String(p.model), System: system, Messages: msgs, InferenceConfig: inf})
	if err != nil {
		return nil, err
	}
	var text strings.Builder
	if m, ok := out.Output.(*types.ConverseOutputMemberMessage); ok {
		for _, b := range m.Value.Content {
			if t, ok := b.(*types.ContentBlockMemberText); ok {
				text.WriteString(t.Value)
			}
		}
	}
	var in, outTok int64
	if out.Usage != nil {
		in, outTok = int64(aws.ToInt32(out.Usage.InputTokens)), int64(aws.ToInt32(out.Usage.OutputTokens))
	}
	raw, err := json.Marshal(map[string]any{
		"id": "chatcmpl-bedrock", "object": "chat.completion", "created": time.Now().Unix(), "model": req.Model,
		"choices": []any{map[string]any{
			"index": 0, "message": map[string]any{"role": "assistant", "content": text.String()},
			"finish_reason": bedrockFinish(out.StopReason), "logprobs": nil,
		}},
		"usage": usage(in, outTok),
	})
	if err != nil {
		return nil, err
	}
	return &completion{raw: raw, text: text.String(), complete: out.StopReason != ""}, nil
}

func (p *bedrockProvider) stream(ctx context.Context, req *chatRequest, _ requestMeta) (chunkStream, error) {
	system, msgs, inf := p.converse(req)
	out, err := p.client.ConverseStream(ctx, &bedrockruntime.ConverseStreamInput{ModelId: aws.String(p.model), System: system, Messages: msgs, InferenceConfig: inf})
	if err != nil {
		return nil, err
	}
	return &bedrockStream{
		s: out.GetStream(), created: time.Now().Unix(), model: req.Model,
		includeUsage: req.StreamOptions != nil && req.StreamOptions.IncludeUsage,
	}, nil
}

// bedrockFinish maps a Converse stopReason to OpenAI's finish_reason.
func bedrockFinish(stop types.StopReason) string {
	switch stop {
	case types.StopReasonMaxTokens:
		return "length"
	case types.StopReasonToolUse:
		return "tool_calls"
	case types.StopReasonContentFiltered, types.StopReasonGuardrailIntervened:
		return "content_filter"
	}
	return "stop"
}

// bedrockStream translates ConverseStream events into OpenAI chunks: messageStart gives
// the role chunk, text deltas content chunks, messageStop the finish_reason chunk (and
// marks the proper end), metadata the usage chunk. An exception inside the stream
// (throttlingException, ...) ends the events; Err() returns it.
type bedrockStream struct {
	s            *bedrockruntime.ConverseStreamEventStream
	created      int64
	model        string
	includeUsage bool
	cur          chunk
	stopped      bool
	pending      []chunk
}

func (b *bedrockStream) next() bool {
	for {
		if len(b.pending) > 0 {
			b.cur, b.pending = b.pending[0], b.pending[1:]
			return true
		}
		ev, ok := <-b.s.Events()
		if !ok {
			return false
		}
		switch e := ev.(type) {
		case *types.ConverseStreamOutputMemberMessageStart:
			b.emit(map[string]any{"role": "assistant", "content": ""}, nil, "")
		case *types.ConverseStreamOutputMemberContentBlockDelta:
			if t, ok := e.Value.Delta.(*types.ContentBlockDeltaMemberText); ok && t.Value != "" {
				b.emit(map[string]any{"content": t.Value}, nil, t.Value)
			}
		case *types.ConverseStreamOutputMemberMessageStop:
			fr := bedrockFinish(e.Value.StopReason)
			b.emit(map[string]any{}, &fr, "")
			b.stopped = true
		case *types.ConverseStreamOutputMemberMetadata:
			if b.includeUsage && e.Value.Usage != nil {
				u := usage(int64(aws.ToInt32(e.Value.Usage.InputTokens)), int64(aws.ToInt32(e.Value.Usage.OutputTokens)))
				b.pending = append(b.pending, b.frame(nil, u, ""))
			}
		}
	}
}

func (b *bedrockStream) emit(delta map[string]any, finish *string, content string) {
	choice := map[string]any{"index": 0, "delta": delta, "finish_reason": finish, "logprobs": nil}
	b.pending = append(b.pending, b.frame([]any{choice}, nil, content))
}

func (b *bedrockStream) frame(choices []any, u any, content string) chunk {
	if choices == nil {
		choices = []any{}
	}
	body := map[string]any{"id": "chatcmpl-bedrock", "object": "chat.completion.chunk", "created": b.created, "model": b.model, "choices": choices}
	if u != nil {
		body["usage"] = u
	}
	raw, _ := json.Marshal(body)
	return chunk{raw: raw, content: content}
}

func (b *bedrockStream) current() chunk { return b.cur }
func (b *bedrockStream) err() error     { return b.s.Err() }
func (b *bedrockStream) ended() bool    { return b.stopped && b.s.Err() == nil }
func (b *bedrockStream) close()         { _ = b.s.Close() }

// toolsErr is nil: the Bedrock provider relays text answers only (tool use is not
// translated to OpenAI tool calls).
func (b *bedrockStream) toolsErr() error { return nil }

// ownBodyClient hands net/http its own copy of each request body. The AWS SDK closes
// the body it passed to net/http once the response headers are in (aws-sdk-go-v2 issues
// 1825 and 2737); when net/http's write loop is not quite done with it, the transport
// closes the connection, and an event stream still being read fails with "use of
// closed network connection". Seen against a local mock under -race; Bedrock request
// bodies are small JSON, so the copy is cheap.
type ownBodyClient struct{ hc *http.Client }

func (c ownBodyClient) Do(req *http.Request) (*http.Response, error) {
	if req.Body != nil && req.Body != http.NoBody {
		b, err := io.ReadAll(io.LimitReader(req.Body, maxBedrockRequestBytes+1))
		if err != nil {
			return nil, fmt.Errorf("read the Bedrock request body: %w", err)
		}
		if len(b) > maxBedrockRequestBytes {
			return nil, fmt.Errorf("bedrock request body larger than %d bytes", maxBedrockRequestBytes)
		}
		req = req.Clone(req.Context())
		req.Body = io.NopCloser(bytes.NewReader(b))
		req.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(b)), nil }
		req.ContentLength = int64(len(b))
	}
	return c.hc.Do(req)
}

// maxBedrockRequestBytes bounds a request body ownBodyClient copies.
const maxBedrockRequestBytes = 32 << 20
