package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/trace"
)

// The OpenAI Responses API (POST /v1/responses): the primary gets the request body as it
// came and its events are relayed verbatim; the secondary (Anthropic) gets it
// translated (responses_anthropic.go) and its answer comes back as Responses events
// (responses_emit.go). As on Chat Completions, nothing reaches the client before the
// first text delta, so a failure before it (an error event or response.failed right
// after response.created, a cut stream, a tool call cut or whole) fails over invisibly;
// a tool-call answer is held to its end and relayed only when its arguments are whole.

// responsesRequest is the part of a Responses API request the gateway reads.
type responsesRequest struct {
	Model             string          `json:"model"`
	Input             json.RawMessage `json:"input"`
	Instructions      string          `json:"instructions,omitempty"`
	Tools             json.RawMessage `json:"tools,omitempty"`
	ToolChoice        json.RawMessage `json:"tool_choice,omitempty"`
	ParallelToolCalls *bool           `json:"parallel_tool_calls,omitempty"`
	Stream            bool            `json:"stream,omitempty"`
	User              string          `json:"user,omitempty"`
	SafetyIdentifier  string          `json:"safety_identifier,omitempty"`
	MaxOutputTokens   *int64          `json:"max_output_tokens,omitempty"`
	// raw is the body as it came, for the primary.
	raw []byte
}

// decodeResponsesRequest reads and checks a Responses API request body.
func decodeResponsesRequest(r *http.Request) (*responsesRequest, error) {
	var req responsesRequest
	body, err := readLimited(r, 4<<20)
	if err != nil {
		return nil, err
	}
	if err := json.Unmarshal(body, &req); err != nil {
		return nil, fmt.Errorf("request body is not a Responses API request: %w", err)
	}
	if len(req.Input) == 0 {
		return nil, errors.New("request has no input")
	}
	if req.Model == "" {
		req.Model = "gpt-4o-mini"
	}
	req.raw = body
	return &req, nil
}

// responseSink is where an attempt writes the client's answer: it holds events back
// until the first text delta, then streams; a whole (non-stream) answer is one body.
type responseSink interface {
	// event adds one event; it reports false when the client has gone.
	event(typ string, data []byte) bool
	// whole writes a whole answer.
	whole(body []byte)
	// end says the stream is whole: what is still held (an answer without text) goes out.
	end()
	// committed reports whether bytes went to the client.
	committed() bool
}

// handleResponses answers one Responses API request over the upstreams.
func (s *server) handleResponses(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	ctx, span := s.tracer.Start(r.Context(), "responses", trace.WithSpanKind(trace.SpanKindServer))
	defer span.End()
	req, err := decodeResponsesRequest(r)
	if err != nil {
		writeJSONError(w, http.StatusBadRequest, "invalid_request_error", err.Error())
		return
	}
	user := req.User
	if user == "" {
		user = req.SafetyIdentifier
	}
	meta := requestMeta{requestID: r.Header.Get("X-Request-Id"), user: user}
	s.budget.deposit()
	res := s.dispatch(ctx, meta, func(ctx context.Context, u *upstream) (bool, *attemptError) {
		out := newResponseWriter(w, u.name(), req.Stream)
		ae := s.tryResponses(ctx, u, req, meta, out)
		return out.committed(), ae
	})
	outcome := "ok"
	if !res.committed {
		outcome = "error"
		msg := "no upstream available: every breaker is open or cooling down"
		if res.last != nil {
			msg = "all upstream attempts failed; last: " + res.last.Error()
			if res.last.wait > 0 {
				w.Header().Set("Retry-After", strconv.Itoa(int((res.last.wait+time.Second-1)/time.Second)))
			}
		}
		writeJSONError(w, statusFor(res), "upstream_unavailable", msg)
		span.SetStatus(codes.Error, msg)
	}
	span.SetAttributes(attribute.String("llmchaos.request_id", meta.requestID), attribute.String("llmchaos.outcome", outcome),
		attribute.Int("llmchaos.attempts", res.attempts), attribute.Int64("llmchaos.latency_ms", since(start)))
}

// tryResponses makes one attempt on u, bounded like a chat attempt: cfg.AttemptTimeout
// to the first text (or the whole answer), cfg.StreamIdle between events after it.
func (s *server) tryResponses(ctx context.Context, u *upstream, req *responsesRequest, meta requestMeta, out *responseWriter) *attemptError {
	actx, cancel := context.WithTimeout(ctx, s.cfg.AttemptTotal)
	defer cancel()
	wd := newWatchdog(s.cfg.AttemptTimeout, cancel)
	defer wd.stop()
	out.onCommit = func() { wd.reset(s.cfg.StreamIdle) }
	out.onEvent = func() {
		if out.committed() {
			wd.reset(s.cfg.StreamIdle)
		}
	}
	var err error
	if rp, ok := u.p.(responsesProvider); ok {
		err = rp.respond(actx, req, meta, out)
	} else {
		err = errors.New("the upstream does not speak the Responses API")
	}
	if err == nil {
		return nil
	}
	ae := classify(u.name(), err, wd.fired.Load())
	var cut *cutError
	if errors.As(err, &cut) {
		ae.cut, ae.nonRetryable = true, cut.nonRetryable
	}
	if out.committed() {
		out.fail(ae.Error())
		s.log.Warn("responses stream failed after its first byte: sent an error event", "upstream", u.name(), "request_id", meta.requestID, "err", ae.err)
	}
	return ae
}

// responsesProvider is a provider that answers Responses API requests.
type responsesProvider interface {
	respond(ctx context.Context, req *responsesRequest, meta requestMeta, out responseSink) error
}

// cutError is an answer that failed or ended before it was whole: response.failed, an
// error event, a stream without its terminal event, a tool call with cut arguments.
type cutError struct {
	msg          string
	nonRetryable bool
}

func (e *cutError) Error() string { return e.msg }
