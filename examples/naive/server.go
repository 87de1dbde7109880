package main

import (
	"github.com/redis/go-redis/v9"

	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"strings"

	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/option"
	"github.com/openai/openai-go/v3/shared"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/trace"
)

// server is the naive app: one provider through openai-go with the SDK's defaults
// (2 retries, no timeout), or through the AWS SDK's bedrockruntime with its defaults
// (PRIMARY_KIND=bedrock: the standard retryer, 3 attempts), history required, telemetry exported in the request path.
type server struct {
	log      *slog.Logger
	client   openai.Client
	bedrock  *bedrockRelay // set when PRIMARY_KIND is bedrock: the provider is Bedrock, not OpenAI
	history  historyStore
	tracer   trace.Tracer
	shutdown func(context.Context) error
	mux      *http.ServeMux
}

var _ http.Handler = (*server)(nil)

// newServer returns the naive app for cfg. Close it to flush telemetry.
func newServer(cfg Config, log *slog.Logger) (*server, error) {
	tracer, shutdown, err := newTracing(cfg)
	if err != nil {
		return nil, err
	}
	s := &server{
		log:      log,
		client:   openai.NewClient(option.WithBaseURL(cfg.PrimaryURL+"/v1"), option.WithAPIKey(cfg.OpenAIKey)),
		tracer:   tracer,
		shutdown: shutdown,
		mux:      http.NewServeMux(),
	}
	switch {
	case cfg.RedisAddr != "":
		s.history = redisHistory{rdb: redis.NewClient(&redis.Options{Addr: cfg.RedisAddr})} // the client's defaults
	case cfg.StoreURL != "":
		s.history = &historyClient{base: cfg.StoreURL}
	}
	if cfg.PrimaryKind == KindBedrock {
		s.bedrock = newBedrockRelay(cfg)
	}
	s.mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write([]byte("ok\n")) })
	s.mux.HandleFunc("POST /v1/chat/completions", s.handleChat)
	s.mux.HandleFunc("POST /v1/responses", s.handleResponses)
	return s, nil
}

func (s *server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.mux.ServeHTTP(w, r) }

// Close flushes telemetry within ctx.
func (s *server) Close(ctx context.Context) error { return s.shutdown(ctx) }

func (s *server) handleChat(w http.ResponseWriter, r *http.Request) {
	ctx, span := s.tracer.Start(r.Context(), "chat.completions", trace.WithSpanKind(trace.SpanKindServer))
	ended := false
	endSpan := func() { // exports synchronously: the response waits for the collector
		if !ended {
			ended = true
			span.End()
		}
	}
	defer endSpan()

	var req chatRequest
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil || len(req.Messages) == 0 {
		writeJSONError(w, http.StatusBadRequest, "invalid_request_error", "request body is not a chat completions request")
		return
	}
	span.SetAttributes(attribute.String("llmchaos.request_id", r.Header.Get("X-Request-Id")))
	msgs := req.Messages
	if s.history != nil && req.User != "" {
		hist, err := s.history.get(req.User)
		if err != nil { // history is required
			s.log.Error("history unavailable", "err", err)
			writeJSONError(w, http.StatusBadGateway, "history_unavailable", err.Error())
			return
		}
		msgs = append(hist, msgs...)
	}
	if s.bedrock != nil {
		answer, ok := s.bedrock.answer(ctx, w, msgs, req.Stream, endSpan, s.log)
		if ok {
			s.keep(req, msgs, answer)
		}
		return
	}
	params := openai.ChatCompletionNewParams{Model: shared.ChatModel(req.Model)}
	if params.Model == "" {
		params.Model = "gpt-4o-mini"
	}
	for _, m := range msgs {
		switch m.Role {
		case "system":
			params.Messages = append(params.Messages, openai.SystemMessage(string(m.Content)))
		case "assistant":
			params.Messages = append(params.Messages, openai.AssistantMessage(string(m.Content)))
		default:
			params.Messages = append(params.Messages, openai.UserMessage(string(m.Content)))
		}
	}
	if req.User != "" {
		params.User = openai.String(req.User)
	}
	if req.MaxTokens != nil {
		params.MaxTokens = openai.Int(*req.MaxTokens)
	}
	opts := upstreamOptions(r, &req, msgs)

	var answer string
	if req.Stream {
		var ok bool
		answer, ok = s.relayStream(ctx, w, params, opts, endSpan)
		if !ok {
			return
		}
	} else {
		res, err := s.client.Chat.Completions.New(ctx, params, opts...)
		endSpan()
		if err != nil {
			s.log.Error("upstream failed", "err", err)
			writeJSONError(w, http.StatusBadGateway, "upstream_error", err.Error())
			return
		}
		if len(res.Choices) > 0 {
			answer = res.Choices[0].Message.Content
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(res.RawJSON()))
	}
	s.keep(req, msgs, answer)
}

// keep saves the exchange in the user's history, in the request path.
func (s *server) keep(req chatRequest, msgs []chatMessage, answer string) {
	if s.history != nil && req.User != "" {
		if err := s.history.put(req.User, append(msgs, chatMessage{Role: "assistant", Content: textContent(answer)})); err != nil {
			s.log.Error("history not saved", "err", err)
		}
	}
}

// upstreamOptions are the request options: the messages as they came (tool calls and
// results included), the tools and tool choice, the correlation header.
func upstreamOptions(r *http.Request, req *chatRequest, msgs []chatMessage) []option.RequestOption {
	opts := []option.RequestOption{option.WithJSONSet("messages", upstreamMessages(msgs))}
	if len(req.Tools) > 0 {
		opts = append(opts, option.WithJSONSet("tools", req.Tools))
	}
	if len(req.ToolChoice) > 0 {
		opts = append(opts, option.WithJSONSet("tool_choice", req.ToolChoice))
	}
	if id := r.Header.Get("X-Request-Id"); id != "" {
		opts = append(opts, option.WithHeader("X-Request-Id", id))
	}
	return opts
}

// relayStream copies the SDK stream's chunks to the client. The SDK ends a cut stream
// without an error, so a cut stream gets [DONE] as if complete: the bug this app shows.
func (s *server) relayStream(ctx context.Context, w http.ResponseWriter, params openai.ChatCompletionNewParams, opts []option.RequestOption, endSpan func()) (string, bool) {
	stream := s.client.Chat.Completions.NewStreaming(ctx, params, opts...)
	defer stream.Close()
	var text strings.Builder
	started := false
	for stream.Next() {
		if !started {
			started = true
			w.Header().Set("Content-Type", "text/event-stream")
			w.Header().Set("Cache-Control", "no-cache")
			w.WriteHeader(http.StatusOK)
		}
		c := stream.Current()
		for _, ch := range c.Choices {
			text.WriteString(ch.Delta.Content)
		}
		writeFrame(w, []byte(c.RawJSON()))
	}
	endSpan()
	if err := stream.Err(); err != nil {
		s.log.Error("upstream stream failed", "err", err)
		if !started {
			writeJSONError(w, http.StatusBadGateway, "upstream_error", err.Error())
			return "", false
		}
		b, _ := json.Marshal(errorBody("upstream_error", err.Error()))
		writeFrame(w, b)
		return "", false
	}
	if !started {
		w.Header().Set("Content-Type", "text/event-stream")
	}
	writeFrame(w, []byte("[DONE]"))
	return text.String(), true
}
