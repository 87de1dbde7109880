package main

import (
	"encoding/json"
	"io"
	"net/http"

	"github.com/openai/openai-go/v3/option"
	"github.com/openai/openai-go/v3/responses"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/trace"
)

// handleResponses relays a Responses API request to the one provider with openai-go's
// defaults (2 retries on 429 and 5xx, insufficient_quota included), events as they come.
// Like its chat path it trusts the SDK: a stream that ends without response.completed,
// or a response.failed, goes to the client as it came, with no failover.
func (s *server) handleResponses(w http.ResponseWriter, r *http.Request) {
	ctx, span := s.tracer.Start(r.Context(), "responses", trace.WithSpanKind(trace.SpanKindServer))
	defer span.End()
	body, err := io.ReadAll(io.LimitReader(r.Body, 4<<20))
	if err != nil || !json.Valid(body) {
		writeJSONError(w, http.StatusBadRequest, "invalid_request_error", "request body is not a Responses API request")
		return
	}
	var req struct {
		Stream bool `json:"stream"`
	}
	_ = json.Unmarshal(body, &req)
	span.SetAttributes(attribute.String("llmchaos.request_id", r.Header.Get("X-Request-Id")))
	opts := []option.RequestOption{option.WithRequestBody("application/json", body)}
	if id := r.Header.Get("X-Request-Id"); id != "" {
		opts = append(opts, option.WithHeader("X-Request-Id", id))
	}
	if !req.Stream {
		res, err := s.client.Responses.New(ctx, responses.ResponseNewParams{}, opts...)
		if err != nil {
			s.log.Error("upstream failed", "err", err)
			writeJSONError(w, http.StatusBadGateway, "upstream_error", err.Error())
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(res.RawJSON()))
		return
	}
	stream := s.client.Responses.NewStreaming(ctx, responses.ResponseNewParams{}, opts...)
	defer stream.Close()
	started := false
	for stream.Next() {
		if !started {
			started = true
			w.Header().Set("Content-Type", "text/event-stream")
			w.WriteHeader(http.StatusOK)
		}
		ev := stream.Current()
		writeEvent(w, ev.Type, []byte(ev.RawJSON()))
	}
	if err := stream.Err(); err != nil {
		s.log.Error("upstream stream failed", "err", err)
		if !started {
			writeJSONError(w, http.StatusBadGateway, "upstream_error", err.Error())
			return
		}
		b, _ := json.Marshal(map[string]any{"type": "error", "sequence_number": 0, "error": map[string]any{"type": "upstream_error", "code": "upstream_error", "message": err.Error()}})
		writeEvent(w, "error", b)
	}
}

// writeEvent writes one named SSE event and flushes it.
func writeEvent(w http.ResponseWriter, typ string, data []byte) {
	_, _ = w.Write([]byte("event: " + typ + "\n"))
	writeFrame(w, data)
}
