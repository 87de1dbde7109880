package main

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/trace"
)

// handleChat answers one chat completion: history, then dispatch over the upstreams.
func (s *server) handleChat(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	ctx, span := s.tracer.Start(r.Context(), "chat.completions", trace.WithSpanKind(trace.SpanKindServer))
	defer span.End()
	req, err := decodeChatRequest(r)
	if err != nil {
		writeJSONError(w, http.StatusBadRequest, "invalid_request_error", err.Error())
		span.SetAttributes(attribute.String("llmchaos.outcome", "bad_request"))
		return
	}
	meta := requestMeta{requestID: r.Header.Get("X-Request-Id"), user: req.User}
	s.budget.deposit()

	hist, degraded := s.loadHistory(ctx, w, meta)
	upReq := *req
	upReq.Messages = append(append([]chatMessage(nil), hist...), req.Messages...)

	var text strings.Builder
	var res dispatchResult
	if req.Stream {
		res = s.dispatch(ctx, meta, func(ctx context.Context, u *upstream) (bool, *attemptError) {
			return s.tryStream(ctx, w, u, &upReq, meta, &text)
		})
	} else {
		res = s.dispatch(ctx, meta, func(ctx context.Context, u *upstream) (bool, *attemptError) {
			return s.tryComplete(ctx, w, u, &upReq, meta, &text)
		})
	}

	outcome := "ok"
	switch {
	case !res.committed:
		outcome = "error"
		status := statusFor(res)
		msg := "no upstream available: every breaker is open or cooling down"
		if res.last != nil {
			msg = "all upstream attempts failed; last: " + res.last.Error()
			if res.last.wait > 0 {
				w.Header().Set("Retry-After", strconv.Itoa(int((res.last.wait+time.Second-1)/time.Second)))
			}
		} else {
			w.Header().Set("Retry-After", "1")
		}
		writeJSONError(w, status, "upstream_unavailable", msg)
		span.SetStatus(codes.Error, msg)
	case res.last != nil:
		outcome = "cut"
		span.SetStatus(codes.Error, res.last.Error())
	case res.served != s.ups[0]:
		outcome = "failover"
	}
	served := ""
	if res.served != nil {
		served = res.served.name()
	}
	span.SetAttributes(
		attribute.String("llmchaos.request_id", meta.requestID),
		attribute.String("llmchaos.upstream", served),
		attribute.String("llmchaos.outcome", outcome),
		attribute.Int("llmchaos.attempts", res.attempts),
		attribute.Bool("llmchaos.degraded", degraded),
		attribute.Int64("llmchaos.latency_ms", since(start)),
	)
	if res.committed && res.last == nil {
		if outcome == "failover" {
			s.log.Info("failover", "request_id", meta.requestID, "served_by", served, "attempts", res.attempts)
		}
		if !degraded {
			saved := append(upReq.Messages[:len(upReq.Messages):len(upReq.Messages)],
				chatMessage{Role: "assistant", Content: textContent(text.String())})
			s.saveHistory(meta, saved)
		}
	}
}

// watchdog cancels an attempt that goes quiet for longer than its current limit.
type watchdog struct {
	t     *time.Timer
	fired atomic.Bool
}

func newWatchdog(d time.Duration, cancel context.CancelFunc) *watchdog {
	w := &watchdog{}
	w.t = time.AfterFunc(d, func() { w.fired.Store(true); cancel() })
	return w
}

// reset restarts the countdown at d unless it already fired.
func (w *watchdog) reset(d time.Duration) {
	if !w.fired.Load() {
		w.t.Reset(d)
	}
}

func (w *watchdog) stop() { w.t.Stop() }

// tryComplete makes one non-stream attempt, bounded by cfg.AttemptTimeout.
func (s *server) tryComplete(ctx context.Context, w http.ResponseWriter, u *upstream, req *chatRequest, meta requestMeta, text *strings.Builder) (bool, *attemptError) {
	actx, cancel := context.WithCancel(ctx)
	defer cancel()
	wd := newWatchdog(s.cfg.AttemptTimeout, cancel)
	defer wd.stop()
	c, err := u.p.complete(actx, req, meta)
	if err != nil {
		return false, classify(u.name(), err, wd.fired.Load())
	}
	if !c.complete {
		return false, &attemptError{upstream: u.name(), cut: true, err: errors.New("answer has no finish reason")}
	}
	if c.toolsErr != nil {
		return false, &attemptError{upstream: u.name(), cut: true, err: c.toolsErr}
	}
	text.WriteString(c.text)
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("X-Upstream", u.name())
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(c.raw)
	return true, nil
}

// tryStream makes one stream attempt. It buffers the upstream's chunks until the first
// one with content (so a failure before then fails over invisibly), then commits and
// streams through. cfg.AttemptTimeout bounds the wait for that first content chunk,
// cfg.StreamIdle each silence after it, cfg.AttemptTotal the whole attempt. A stream
// that fails after commit ends with an error frame and no [DONE].
func (s *server) tryStream(ctx context.Context, w http.ResponseWriter, u *upstream, req *chatRequest, meta requestMeta, text *strings.Builder) (bool, *attemptError) {
	actx, cancel := context.WithTimeout(ctx, s.cfg.AttemptTotal)
	defer cancel()
	wd := newWatchdog(s.cfg.AttemptTimeout, cancel)
	defer wd.stop()
	st, err := u.p.stream(actx, req, meta)
	if err != nil {
		return false, classify(u.name(), err, wd.fired.Load())
	}
	defer st.close()

	var buf []chunk
	for len(buf) == 0 || buf[len(buf)-1].content == "" {
		if !st.next() {
			if st.ended() { // a proper answer without text: empty, or tool calls
				break
			}
			return false, s.streamFailure(u, st, wd, len(buf))
		}
		buf = append(buf, st.current())
	}
	if err := st.toolsErr(); err != nil && st.ended() { // a tool call that ended cut: not worth relaying
		return false, &attemptError{upstream: u.name(), cut: true, err: err}
	}

	sse := newSSEWriter(w)
	w.Header().Set("X-Upstream", u.name())
	sse.begin()
	for _, c := range buf {
		text.WriteString(c.content)
		_ = sse.data(c.raw)
	}
	sse.flush()
	n := len(buf)
	for {
		wd.reset(s.cfg.StreamIdle)
		if !st.next() {
			break
		}
		c := st.current()
		text.WriteString(c.content)
		n++
		if err := sse.data(c.raw); err != nil {
			break // the client left; st.next fails next round or ctx ends
		}
		sse.flush()
	}
	wd.stop()
	if st.ended() && st.toolsErr() == nil {
		sse.done()
		return true, nil
	}
	ae := s.streamFailure(u, st, wd, n)
	sse.fail(fmt.Sprintf("upstream %s stream failed after %d chunks: %v", u.name(), n, ae.err))
	s.log.Warn("stream cut after first byte: sent error frame, no [DONE]", "upstream", u.name(),
		"request_id", meta.requestID, "chunks", n, "err", ae.err)
	return true, ae
}

// streamFailure describes why st stopped before its proper end.
func (s *server) streamFailure(u *upstream, st chunkStream, wd *watchdog, chunks int) *attemptError {
	if err := st.err(); err != nil {
		return classify(u.name(), err, wd.fired.Load())
	}
	if err := st.toolsErr(); err != nil && st.ended() {
		return &attemptError{upstream: u.name(), cut: true, err: err}
	}
	return &attemptError{upstream: u.name(), cut: true,
		err: fmt.Errorf("stream ended after %d chunks without its end (finish_reason / message_stop)", chunks)}
}
