package llm

import (
	"context"
	"errors"
	"io"
	"net/http"
	"slices"
	"strconv"
	"time"

	"github.com/llmchaos/llmchaos/mocks/control"
)

// serveCompletion answers one completion request in dialect d, shaped by at most one fault.
func (s *Server) serveCompletion(w *recorder, r *http.Request, att *control.Attempt, d dialect, requestID string) {
	req, ok := s.readRequest(w, r, att, d, requestID)
	if !ok {
		return
	}
	att.Stream = req.stream
	id := correlationID(r.Header, &req)
	if id == "" {
		id = "anon-" + strconv.FormatInt(s.anon.Add(1), 10)
	}
	att.CorrelationID = id

	f, faulted := s.Pick()
	if faulted {
		att.Fault = string(f.Mode())
	} else {
		f = control.Fault{}
	}
	ctx := r.Context()
	if s.answerWithoutContent(ctx, w, d, f, requestID, att) {
		return
	}

	toks := Tokens(s.seed, s.name, id, s.words)
	c := s.newCall(d, &req, f, requestID, att.Seq, len(toks))
	if req.stream {
		d.begin(c)
	}
	p := pace{ttft: s.ttft, tokenDelay: s.tokenDelay}
	if f.Mode() == control.ModeSlow {
		p = pace{ttft: f.TTFT.D(), tokenDelay: f.TokenDelay.D()}
	}
	d.setHeaders(w.Header(), requestID)
	w.Header()["X-Llmchaos-Upstream"] = []string{s.name} // Header.Set without canonicalizing
	if req.stream {
		s.stream(ctx, w, d, c, toks, f, p, att)
	} else {
		s.answer(ctx, w, d, c, toks, f, p, att)
	}
}

// readRequest reads and parses the request body in dialect d. It reports false when
// there is nothing more to do: the client went away (noted in att), or the body was too
// large or not a valid request (answered with the provider's error).
func (s *Server) readRequest(w *recorder, r *http.Request, att *control.Attempt, d dialect, requestID string) (chatRequest, bool) {
	bodyBuf := s.bufs.get()
	body, err := s.readBody(w, r, *bodyBuf)
	*bodyBuf = body
	if err != nil {
		s.bufs.put(bodyBuf)
		var tooBig *http.MaxBytesError
		if !errors.As(err, &tooBig) {
			att.Error = "reading request body: " + err.Error()
			return chatRequest{}, false // the client went away or broke the body: nobody to answer
		}
		e := d.statusError(http.StatusRequestEntityTooLarge)
		e.msg = "Request body is larger than " + strconv.FormatInt(s.maxBody, 10) + " bytes."
		att.Error = e.msg
		s.writeError(w, d, e, requestID)
		return chatRequest{}, false
	}
	req, bad := d.parse(body)
	s.bufs.put(bodyBuf) // parse copies all it keeps
	if bad != nil {
		att.Error = bad.msg
		s.writeError(w, d, *bad, requestID)
		return chatRequest{}, false
	}
	return req, true
}

// answerWithoutContent plays the faults whose answer holds no completion (status, hang)
// and reports whether it answered; for any other fault it does nothing.
func (s *Server) answerWithoutContent(ctx context.Context, w *recorder, d dialect, f control.Fault, requestID string, att *control.Attempt) bool {
	switch f.Mode() {
	case control.ModeStatus:
		s.writeStatusFault(w, d, f, requestID, att)
		return true
	case control.ModeHang:
		if f.Hold <= 0 {
			<-ctx.Done()
			return true
		}
		if wait(ctx, f.Hold.D()) {
			s.writeError(w, d, d.statusError(http.StatusGatewayTimeout), requestID)
		}
		return true
	}
	return false
}

// newCall is the answer's identity and usage for request req, attempt seq, of n tokens.
func (s *Server) newCall(d dialect, req *chatRequest, f control.Fault, requestID string, seq, n int) *call {
	c := &call{
		requestID:    requestID,
		model:        req.model,
		created:      s.now().Unix(),
		includeUsage: req.includeUsage,
		noUsage:      f.Mode() == control.ModeNoUsage,
		promptTokens: req.promptBytes/4 + 1,
		outputTokens: n,
	}
	if _, ok := d.(openAIDialect); ok {
		c.messageID = "chatcmpl-llmchaos-" + s.name + "-" + strconv.Itoa(seq)
	} else {
		c.messageID = "msg_llmchaos_" + s.name + "_" + strconv.Itoa(seq)
	}
	return c
}

// pace is how fast tokens come.
type pace struct{ ttft, tokenDelay time.Duration }

// maxBodyPrealloc is the most readBody reserves up front for a declared Content-Length.
const maxBodyPrealloc = 64 << 10

// readBody appends the request body, up to the size limit, to buf (a pooled buffer).
func (s *Server) readBody(w http.ResponseWriter, r *http.Request, buf []byte) ([]byte, error) {
	if r.ContentLength > s.maxBody {
		return buf, &http.MaxBytesError{Limit: s.maxBody}
	}
	if r.ContentLength > 0 {
		// What a request declares is not what it sends: reserve at most a modest start
		// and grow with the bytes that arrive.
		buf = slices.Grow(buf, int(min(r.ContentLength, maxBodyPrealloc))+1)
	}
	defer control.BodyDeadline(w, s.bodyTimeout)()
	body := http.MaxBytesReader(w, r.Body, s.maxBody)
	for {
		if len(buf) == cap(buf) {
			buf = slices.Grow(buf, 512)
		}
		n, err := body.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if err == io.EOF {
			return buf, nil
		}
		if err != nil {
			return buf, err
		}
	}
}

// writeStatusFault answers with the fault's status, the provider's error body and the
// retry headers the fault asks for.
func (s *Server) writeStatusFault(w *recorder, d dialect, f control.Fault, requestID string, att *control.Attempt) {
	att.RetryAfter = f.SetRetryHeaders(w.Header(), s.now())
	s.writeError(w, d, d.statusError(f.StatusCode()), requestID)
}

// answer writes a whole (not streamed) answer. Stream faults have these equivalents:
// truncate sends half the JSON body and ends the answer cleanly (no Content-Length);
// stall sends 200 headers and then nothing until the client leaves; stream-error
// answers the provider's stream failure as a status (OpenAI 500 server_error,
// Anthropic 529 overloaded_error); malformed sends a body that is not JSON.
func (s *Server) answer(ctx context.Context, w *recorder, d dialect, c *call, toks []string, f control.Fault, p pace, att *control.Attempt) {
	if f.Mode() == control.ModeStreamError {
		s.writeError(w, d, d.streamFailure(), c.requestID)
		return
	}
	if !wait(ctx, p.ttft+time.Duration(len(toks)-1)*p.tokenDelay) {
		return
	}
	buf := s.bufs.get()
	defer s.bufs.put(buf)
	*buf = d.appendAnswer(*buf, c, toks)
	body := *buf
	switch f.Mode() {
	case control.ModeTruncate:
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusOK)
		_ = w.send(body[:len(body)/2])
		att.Cut = true
	case control.ModeStall:
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusOK)
		w.flush()
		<-ctx.Done()
	case control.ModeMalformed:
		body = append(body[:len(body)/2:len(body)/2], `<!-- llmchaos: malformed -->`...)
		_ = w.writeBody(http.StatusOK, "application/json", body)
	default:
		att.Complete = w.writeBody(http.StatusOK, "application/json", body) == nil
	}
}

// stream writes a streamed answer, event by event, flushing each. Stream faults strike
// after cut content chunks: truncate ends the stream cleanly there, stream-error sends
// the provider's error event then ends, malformed sends that token's chunk broken and
// goes on, stall (after at least one token) sends only keepalives until the client
// leaves. cut is at most len(toks)-1, so the end marker never goes out under a fault
// that cuts the answer.
func (s *Server) stream(ctx context.Context, w *recorder, d dialect, c *call, toks []string, f control.Fault, p pace, att *control.Attempt) {
	h := w.Header()
	h.Set("Content-Type", "text/event-stream; charset=utf-8")
	h.Set("Cache-Control", "no-cache")
	w.WriteHeader(http.StatusOK)

	cut := -1
	switch f.Mode() {
	case control.ModeTruncate, control.ModeStreamError, control.ModeMalformed:
		cut = min(f.AfterChunks, len(toks)-1)
	case control.ModeStall:
		cut = min(max(f.AfterChunks, 1), len(toks)-1)
	}

	buf := s.bufs.get()
	defer s.bufs.put(buf)
	b := d.appendStart((*buf)[:0], c)
	if w.send(b) != nil {
		return
	}
	for i, tok := range toks {
		if i == cut {
			switch f.Mode() {
			case control.ModeTruncate:
				att.Cut = true
				return
			case control.ModeStreamError:
				_ = w.send(d.appendStreamError(b[:0], c))
				att.Cut = true
				return
			case control.ModeStall:
				s.stall(ctx, w, d, f.Keepalive.D(), b[:0])
				att.Cut = true
				return
			}
		}
		delay := p.tokenDelay
		if i == 0 {
			delay = p.ttft
		}
		if !wait(ctx, delay) {
			return
		}
		if i == cut { // ModeMalformed
			b = d.appendMalformed(b[:0], c, tok)
		} else {
			b = d.appendToken(b[:0], c, tok)
		}
		if w.send(b) != nil {
			return
		}
	}
	b = d.appendEnd(b[:0], c)
	*buf = b
	if w.send(b) != nil {
		return
	}
	att.Complete = f.Mode() != control.ModeMalformed
}

// stall keeps the stream open without content until ctx ends, sending keepalives
// every period when period > 0.
func (s *Server) stall(ctx context.Context, w *recorder, d dialect, period time.Duration, b []byte) {
	if period <= 0 {
		<-ctx.Done()
		return
	}
	t := time.NewTicker(period)
	defer t.Stop()
	ka := d.appendKeepalive(b)
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if w.send(ka) != nil {
				return
			}
		}
	}
}

// wait waits for d or until ctx ends, and reports whether d passed with ctx alive.
func wait(ctx context.Context, d time.Duration) bool {
	if d <= 0 {
		return ctx.Err() == nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}

var _ io.Writer = (*recorder)(nil)
