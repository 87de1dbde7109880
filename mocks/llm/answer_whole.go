package llm

import (
	"context"
	"net/http"
	"time"

	"github.com/llmchaos/llmchaos/mocks/control"
)

// answer writes a whole (not streamed) answer. Stream faults have these equivalents:
// truncate sends half the JSON body and ends the answer cleanly (no Content-Length);
// stall sends 200 headers and then nothing until the client leaves; stream-error
// answers the provider's stream failure as a status (OpenAI 500 server_error,
// Anthropic 529 overloaded_error); malformed sends a body that is not JSON;
// response-incomplete and content-filter (output) send a whole body cut after
// AfterChunks tokens (or halfway through the tool arguments) that says why;
// tool-call-cut sends a whole body whose first call's arguments are what a client held
// at the cut (a text answer is served whole); response-failed sends a Responses API body
// with status failed (elsewhere: as stream-error).
func (s *Server) answer(ctx context.Context, w *recorder, d dialect, c *call, f control.Fault, p pace, att *control.Attempt) {
	if f.Mode() == control.ModeStreamError || f.Mode() == control.ModeResponseFailed && !isResponses(d) || inStreamError(d, f, c) {
		e := d.streamFailure(f.Status)
		if inStreamError(d, f, c) {
			e = d.providerError(f.Type, errorContext{model: c.model, promptTokens: c.promptTokens})
		}
		s.writeError(w, d, e, c.requestID, att)
		return
	}
	if !wait(ctx, p.ttft+time.Duration(max(c.pieceCount()-1, 0))*p.tokenDelay) {
		return
	}
	toks := s.shapeWhole(c, f, att)
	buf := s.bufs.get()
	defer s.bufs.put(buf)
	*buf = d.appendAnswer(*buf, c, toks)
	body := *buf
	switch {
	case f.Mode() == control.ModeTruncate:
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusOK)
		_ = w.send(body[:len(body)/2])
		att.Cut = true
	case f.Mode() == control.ModeStall:
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusOK)
		w.flush()
		<-ctx.Done()
	case f.Mode() == control.ModeMalformed:
		body = append(body[:len(body)/2:len(body)/2], `<!-- llmchaos: malformed -->`...)
		_ = w.writeBody(http.StatusOK, "application/json", body)
	default:
		err := w.writeBody(http.StatusOK, "application/json", body)
		att.Complete = err == nil && !att.Cut
	}
}

// shapeWhole applies the faults that change what a whole answer says (its tokens, its
// tool arguments, how it ends) and returns the tokens to write. It marks att.Cut when
// the answer ends early on purpose.
func (s *Server) shapeWhole(c *call, f control.Fault, att *control.Attempt) []string {
	toks := c.toks
	cut := cutAt(f, c)
	switch f.Mode() {
	case control.ModeResponseIncomplete, control.ModeContentFilter:
		if cut < 0 {
			if f.Mode() != control.ModeContentFilter { // a prompt filter that refuses in the answer
				return toks
			}
			cut, c.refused = 0, true
		}
		c.stop = stopLength
		if f.Mode() == control.ModeContentFilter || f.Reason == control.ReasonContentFilter {
			c.stop = stopFilter
		}
		att.Cut = true
		if c.calls != nil {
			c.calls[0].arguments = cutArguments(control.CutAtArguments, c.calls[0].arguments)
			return toks
		}
		return toks[:cut]
	case control.ModeToolCallCut:
		if c.calls != nil {
			c.calls[0].arguments = cutArguments(f.CutAt, c.calls[0].arguments)
			att.Cut = true
		}
	case control.ModeResponseFailed:
		c.failed = true
		att.Cut = true
	}
	return toks
}

func isResponses(d dialect) bool {
	_, ok := d.(responsesDialect)
	return ok
}
