package llm

import (
	"context"
	"net/http"
	"time"

	"github.com/llmchaos/llmchaos/mocks/control"
)

// stream writes a streamed answer, event by event, flushing each: its start, its pieces
// (pieces.go) and its end. A stream fault strikes at piece cutAt(f, c) (strike): it ends
// the stream there (truncate, tool-call-cut, stream-error, response-failed, stall) or
// ends it early with a reason (response-incomplete, content-filter), so the end marker
// never goes out under a fault that cuts; malformed breaks that piece's chunk and goes
// on.
func (s *Server) stream(ctx context.Context, w *recorder, d dialect, c *call, f control.Fault, p pace, att *control.Attempt) {
	h := w.Header()
	if st, ok := d.(streamTyper); ok {
		h.Set("Content-Type", st.streamContentType())
	} else {
		h.Set("Content-Type", "text/event-stream; charset=utf-8")
		h.Set("Cache-Control", "no-cache")
	}
	w.WriteHeader(http.StatusOK)

	cut := cutAt(f, c)
	if f.Mode() == control.ModeContentFilter && cut < 0 { // a prompt filter that refuses in the answer
		cut, c.refused = 0, true
	}
	if inStreamError(d, f, c) {
		cut = 0
	}
	buf := s.bufs.get()
	defer s.bufs.put(buf)
	b := d.appendStart((*buf)[:0], c)
	if w.send(b) != nil {
		return
	}
	n := c.pieceCount()
	for i := 0; i < n; i++ {
		if i == cut && s.strike(ctx, w, d, c, f, b[:0], att) {
			return
		}
		delay := p.tokenDelay
		if i == 0 {
			delay = p.ttft
		}
		if !wait(ctx, delay) {
			return
		}
		b = encodePiece(b[:0], d, c, c.piece(i), i == cut)
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

// strike plays fault f at its cut and reports whether the stream is over. Malformed
// does not end it (encodePiece breaks the chunk).
func (s *Server) strike(ctx context.Context, w *recorder, d dialect, c *call, f control.Fault, b []byte, att *control.Attempt) bool {
	switch {
	case inStreamError(d, f, c):
		e := d.providerError(f.Type, errorContext{model: c.model, promptTokens: c.promptTokens})
		att.NonRetryable = control.NonRetryableStatus(e.status)
		b = d.appendStreamError(b, c, e)
	case f.Mode() == control.ModeTruncate, f.Mode() == control.ModeToolCallCut:
		b = nil
	case f.Mode() == control.ModeStreamError:
		e := d.streamFailure(f.Status)
		att.NonRetryable = e.noRetry || control.NonRetryableStatus(e.status)
		b = d.appendStreamError(b, c, e)
	case f.Mode() == control.ModeResponseFailed:
		if fd, ok := d.(failDialect); ok {
			b = fd.appendFailed(b, c)
		} else {
			b = d.appendStreamError(b, c, d.streamFailure(0))
		}
	case f.Mode() == control.ModeResponseIncomplete, f.Mode() == control.ModeContentFilter:
		b = endEarly(b, d, c, f)
	case f.Mode() == control.ModeStall:
		s.stall(ctx, w, d, f.Keepalive.D(), b)
		att.Cut = true
		return true
	default:
		return false
	}
	if b != nil {
		_ = w.send(b)
	}
	att.Cut = true
	return true
}

// endEarly ends c's stream before its end marker with the reason f gives: an open tool
// call is closed with the arguments sent so far, then the end says length or filter.
func endEarly(b []byte, d dialect, c *call, f control.Fault) []byte {
	c.stop = stopLength
	if f.Mode() == control.ModeContentFilter || f.Reason == control.ReasonContentFilter {
		c.stop = stopFilter
	}
	if td, ok := d.(toolDialect); ok && c.calls != nil {
		if i, open := openCall(c); open {
			b = td.appendToolEnd(b, c, i)
		}
	}
	return d.appendEnd(b, c)
}

// openCall is the tool call whose opening went out and whose close did not.
func openCall(c *call) (int, bool) {
	open := -1
	for i := range c.calls {
		if i < len(c.args) && c.args[i] != nil {
			open = i
		}
	}
	return open, open >= 0
}

// encodePiece appends piece p of c in dialect d; broken says to make its chunk not JSON
// (a malformed fault).
func encodePiece(b []byte, d dialect, c *call, p piece, broken bool) []byte {
	if p.kind == pieceText {
		if broken {
			return d.appendMalformed(b, c, p.text)
		}
		return d.appendToken(b, c, p.text)
	}
	td := d.(toolDialect) // only a toolDialect gets tool calls (newCall)
	switch p.kind {
	case pieceToolStart:
		c.markOpen(p.call)
		b = td.appendToolStart(b, c, p.call)
	case pieceToolArgs:
		b = td.appendToolArgs(b, c, p.call, p.text)
	default:
		b = td.appendToolEnd(b, c, p.call)
		c.args[p.call] = nil
	}
	if broken {
		return breakChunk(d, b)
	}
	return b
}

// breakChunk makes the last chunk of b not JSON, as d's framing allows.
func breakChunk(d dialect, b []byte) []byte {
	if cb, ok := d.(chunkBreaker); ok {
		return cb.breakChunk(b)
	}
	return malformedChunk(b)
}

// markOpen notes that call i's opening went out.
func (c *call) markOpen(i int) {
	for len(c.args) <= i {
		c.args = append(c.args, nil)
	}
	c.args[i] = []byte{}
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
