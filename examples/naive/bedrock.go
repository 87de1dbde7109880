package main

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime/types"
)

// bedrockRelay answers through Bedrock's Converse API with the AWS SDK's defaults (the
// standard retryer, no timeout), the way the OpenAI path does: one provider, a stream
// relayed chunk by chunk, an error after the first byte as an error frame, and a stream
// the SDK ends without an error relayed as complete.
type bedrockRelay struct {
	client *bedrockruntime.Client
	model  string
}

// newBedrockRelay returns the relay for cfg (an empty model or region: the default).
func newBedrockRelay(cfg Config) *bedrockRelay {
	model, region := cmp.Or(cfg.BedrockModel, DefaultBedrockModel), cmp.Or(cfg.AWSRegion, DefaultAWSRegion)
	creds := aws.Credentials{AccessKeyID: "llmchaos-example", SecretAccessKey: "llmchaos-example", Source: "naive"}
	return &bedrockRelay{model: model, client: bedrockruntime.New(bedrockruntime.Options{
		HTTPClient:   ownBodyClient{},
		Region:       region,
		BaseEndpoint: aws.String(cfg.PrimaryURL),
		Credentials:  aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) { return creds, nil }),
	})}
}

// bedrockMessages turns the chat into Converse messages (system messages into system).
func bedrockMessages(msgs []chatMessage) ([]types.SystemContentBlock, []types.Message) {
	var system []types.SystemContentBlock
	var out []types.Message
	for _, m := range msgs {
		text := string(m.Content)
		switch m.Role {
		case "system":
			system = append(system, &types.SystemContentBlockMemberText{Value: text})
			continue
		case "assistant":
			out = append(out, types.Message{Role: types.ConversationRoleAssistant, Content: []types.ContentBlock{&types.ContentBlockMemberText{Value: text}}})
		default:
			out = append(out, types.Message{Role: types.ConversationRoleUser, Content: []types.ContentBlock{&types.ContentBlockMemberText{Value: text}}})
		}
	}
	return system, out
}

// answer serves one request and returns the answer's text, false when it failed.
func (b *bedrockRelay) answer(ctx context.Context, w http.ResponseWriter, msgs []chatMessage, stream bool, endSpan func(), log *slog.Logger) (string, bool) {
	system, conv := bedrockMessages(msgs)
	if !stream {
		out, err := b.client.Converse(ctx, &bedrockruntime.ConverseInput{ModelId: aws.String(b.model), System: system, Messages: conv})
		endSpan()
		if err != nil {
			log.Error("upstream failed", "err", err)
			writeJSONError(w, http.StatusBadGateway, "upstream_error", err.Error())
			return "", false
		}
		var text strings.Builder
		if m, ok := out.Output.(*types.ConverseOutputMemberMessage); ok {
			for _, c := range m.Value.Content {
				if t, ok := c.(*types.ContentBlockMemberText); ok {
					text.WriteString(t.Value)
				}
			}
		}
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]any{"object": "chat.completion", "created": time.Now().Unix(),
			"choices": []any{map[string]any{"index": 0, "message": map[string]any{"role": "assistant", "content": text.String()}, "finish_reason": "stop"}}})
		return text.String(), true
	}
	out, err := b.client.ConverseStream(ctx, &bedrockruntime.ConverseStreamInput{ModelId: aws.String(b.model), System: system, Messages: conv})
	if err != nil {
		endSpan()
		log.Error("upstream failed", "err", err)
		writeJSONError(w, http.StatusBadGateway, "upstream_error", err.Error())
		return "", false
	}
	return b.relay(w, out.GetStream(), endSpan, log)
}

// relay copies a ConverseStream's text deltas to the client as OpenAI chunks.
func (b *bedrockRelay) relay(w http.ResponseWriter, st *bedrockruntime.ConverseStreamEventStream, endSpan func(), log *slog.Logger) (string, bool) {
	defer st.Close()
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-cache")
	w.WriteHeader(http.StatusOK)
	var text strings.Builder
	for ev := range st.Events() {
		d, ok := ev.(*types.ConverseStreamOutputMemberContentBlockDelta)
		if !ok {
			continue
		}
		if t, ok := d.Value.Delta.(*types.ContentBlockDeltaMemberText); ok {
			text.WriteString(t.Value)
			raw, _ := json.Marshal(map[string]any{"object": "chat.completion.chunk", "created": time.Now().Unix(),
				"choices": []any{map[string]any{"index": 0, "delta": map[string]any{"content": t.Value}, "finish_reason": nil}}})
			writeFrame(w, raw)
		}
	}
	endSpan()
	if err := st.Err(); err != nil {
		log.Error("upstream stream failed", "err", err)
		raw, _ := json.Marshal(errorBody("upstream_error", err.Error()))
		writeFrame(w, raw)
		return "", false
	}
	writeFrame(w, []byte("[DONE]"))
	return text.String(), true
}

// ownBodyClient hands net/http its own copy of each request body: the AWS SDK closes the
// one it passed once the response headers are in (aws-sdk-go-v2 issues 1825 and 2737),
// and when net/http's write loop is not quite done with it the connection under the
// event stream is closed ("use of closed network connection"). A transport quirk, not a
// resilience behaviour: even the naive app works around it (its bodies are small JSON).
type ownBodyClient struct{}

func (ownBodyClient) Do(req *http.Request) (*http.Response, error) {
	if req.Body != nil && req.Body != http.NoBody {
		b, err := io.ReadAll(io.LimitReader(req.Body, 32<<20))
		if err != nil {
			return nil, err
		}
		req = req.Clone(req.Context())
		req.Body = io.NopCloser(bytes.NewReader(b))
		req.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(b)), nil }
		req.ContentLength = int64(len(b))
	}
	return http.DefaultClient.Do(req)
}
