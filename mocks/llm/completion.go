package llm

import (
	"context"
	"errors"
	"io"
	"net/http"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/llmchaos/llmchaos/mocks/control"
)

// serveCompletion answers one completion request in dialect d: admitted by the account
// and the quota (or refused 429), then shaped by at most one fault.
func (s *Server) serveCompletion(w *recorder, r *http.Request, att *control.Attempt, d dialect, requestID string) {
	req, ok := s.readRequest(w, r, att, d, requestID)
	if !ok {
		return
	}
	att.Stream = req.stream
	att.FollowUp = req.toolResult
	id, bad := s.correlate(r.Header, &req)
	if bad != nil {
		s.peekRateLimits(w, d)
		att.Error = bad.msg
		s.writeError(w, d, *bad, requestID, att)
		return
	}
	att.CorrelationID = id

	c := s.newCall(d, &req, requestID, id, att.Seq, att.Arrived)
	defer s.calls.put(c)
	ec := errorContext{model: req.model, apiKey: apiKey(r.Header), promptTokens: c.promptTokens}
	if ec.admission = s.admit(w, d, c.promptTokens+c.outputTokens, att.Arrived); ec.admission.Refused != "" {
		s.writeQuotaRefusal(w, d, ec, requestID, att)
		return
	}
	s.remember(d, c, &req, id)
	f, faulted := s.Pick()
	if faulted {
		att.Fault = string(f.Type)
	} else {
		f = outputLimit(&req, c)
	}
	if faulted || f.Type != "" || req.stream || s.ttft > 0 || s.tokenDelay > 0 || s.words > maxQuickWords {
		// an answer that may take a while: a deadline left on an HTTP/1.1 connection
		// would cut it (net/http's background read ends the request's context)
		w.liftBodyDeadline()
	}
	ctx := r.Context()
	if s.answerWithoutContent(ctx, w, d, f, c, ec, att) {
		return
	}
	att.ToolCalls = len(c.calls)
	p := pace{ttft: s.ttft, tokenDelay: s.tokenDelay}
	if f.Mode() == control.ModeSlow {
		p = pace{ttft: f.TTFT.D(), tokenDelay: f.TokenDelay.D()}
	}
	c.noUsage = f.Mode() == control.ModeNoUsage
	d.setHeaders(w.Header(), requestID)
	w.Header()["X-Llmchaos-Upstream"] = s.upstreamHeader // Header.Set without canonicalizing
	if req.stream {
		d.begin(c)
		s.stream(ctx, w, d, c, f, p, att)
	} else {
		s.answer(ctx, w, d, c, f, p, att)
	}
}

// readRequest reads and parses the request body in dialect d. It reports false when
// there is nothing more to do: the client went away (noted in att), or the body was too
// large or not a valid request (answered with the provider's error).
func (s *Server) readRequest(w *recorder, r *http.Request, att *control.Attempt, d dialect, requestID string) (chatRequest, bool) {
	bodyBuf := s.bufs.get()
	body, read, err := s.readBody(w.w, r, *bodyBuf) // the writer itself: a *recorder given as an interface would escape
	*bodyBuf = body
	w.bodyRead = read
	if err != nil {
		s.bufs.put(bodyBuf)
		var tooBig *http.MaxBytesError
		if !errors.As(err, &tooBig) {
			att.Error = "reading request body: " + err.Error()
			if errors.Is(err, os.ErrDeadlineExceeded) {
				// Cut the slow client off: close its connection (HTTP/1.1) or reset its
				// stream (HTTP/2, where returning would send an empty 200).
				panic(http.ErrAbortHandler)
			}
			return chatRequest{}, false // the client went away or broke the body: nobody to answer
		}
		e := d.statusError(http.StatusRequestEntityTooLarge)
		e.msg = "Request body is larger than " + strconv.FormatInt(s.maxBody, 10) + " bytes."
		att.Error = e.msg
		s.peekRateLimits(w, d)
		s.writeError(w, d, e, requestID, att)
		return chatRequest{}, false
	}
	req, bad := d.parse(body)
	s.bufs.put(bodyBuf) // parse copies all it keeps
	if bad != nil {
		att.Error = bad.msg
		s.peekRateLimits(w, d)
		s.writeError(w, d, *bad, requestID, att)
		return chatRequest{}, false
	}
	return req, true
}

// correlate returns the request's correlation id: from its carriers (correlationID),
// else from the stored response it continues (Responses previous_response_id), else
// anon-N. A previous_response_id the mock does not hold is the provider's error.
func (s *Server) correlate(h http.Header, req *chatRequest) (string, *apiError) {
	id := correlationID(h, req)
	if req.previousID != "" {
		prev, ok := s.responses.get(req.previousID)
		if !ok {
			return "", previousNotFound(req.previousID)
		}
		if id == "" {
			id = prev
		}
	}
	if id == "" {
		id = "anon-" + strconv.FormatInt(s.anon.Add(1), 10)
	}
	return id, nil
}

// newCall is the answer to request req with correlation id, attempt seq, arrived at
// arrived (its created time): its identity, the text or tool calls that answer it, and
// its usage. It comes from s.calls: put it back when the request is answered.
func (s *Server) newCall(d dialect, req *chatRequest, requestID, id string, seq int, arrived time.Time) *call {
	c := s.calls.get()
	toks := c.toks[:0]
	*c = call{
		requestID:    requestID,
		model:        req.model,
		created:      arrived.Unix(),
		began:        arrived,
		includeUsage: req.includeUsage,
		promptTokens: req.promptBytes/4 + 1,

		stream:          req.stream,
		parallel:        req.parallel || len(req.tools) == 0,
		maxOutputTokens: req.maxOutputTokens,
		previousID:      req.previousID,
		noStore:         req.noStore,
	}
	if _, ok := d.(toolDialect); ok {
		c.calls = planToolCalls(s.seed, s.name, id, seq, req, s.autoToolShare)
	}
	if c.calls != nil {
		c.pieces = toolPieces(c.calls)
		c.outputTokens = toolOutputTokens(c.calls)
	} else {
		c.toks = appendTokens(toks, s.seed, s.name, id, s.words)
		c.outputTokens = len(c.toks)
	}
	switch d.(type) {
	case openAIDialect, azureDialect:
		c.messageID = seqID(seq, "chatcmpl-llmchaos-", s.name, "-")
	case geminiDialect:
		c.messageID = seqID(seq, "llmchaos-", cleanID(s.name), "-")
	case responsesDialect:
		c.messageID = seqID(seq, "resp_llmchaos_", cleanID(s.name), "_")
	default:
		c.messageID = seqID(seq, "msg_llmchaos_", s.name, "_")
	}
	return c
}

// outputLimit is the cut a request's own output limit makes, played as a fault: a
// Responses request whose max_output_tokens is below the answer's tokens gets the answer
// up to there, status incomplete (reason max_output_tokens).
func outputLimit(req *chatRequest, c *call) control.Fault {
	if req.maxOutputTokens > 0 && c.calls == nil && req.maxOutputTokens < len(c.toks) {
		return control.Fault{Type: control.TypeResponseIncomplete, AfterChunks: req.maxOutputTokens}
	}
	return control.Fault{}
}

// apiKey is the key a request sent: Authorization: Bearer KEY, or x-api-key.
func apiKey(h http.Header) string {
	if k := headerValue(h, "X-Api-Key"); k != "" {
		return k
	}
	return strings.TrimPrefix(headerValue(h, "Authorization"), "Bearer ")
}

// answerWithoutContent plays the faults whose answer holds no completion (status, hang,
// the providers' semantic errors, a refused prompt) and reports whether it answered;
// for any other fault it does nothing.
func (s *Server) answerWithoutContent(ctx context.Context, w *recorder, d dialect, f control.Fault, c *call, ec errorContext, att *control.Attempt) bool {
	switch f.Mode() {
	case control.ModeStatus:
		e := d.statusError(f.StatusCode())
		att.RetryAfter = s.retryHeaders(w, d, &e, f)
		s.writeError(w, d, e, c.requestID, att)
		return true
	case control.ModeHang:
		if f.Hold <= 0 {
			<-ctx.Done()
			return true
		}
		if wait(ctx, f.Hold.D()) {
			s.writeError(w, d, d.statusError(http.StatusGatewayTimeout), c.requestID, att)
		}
		return true
	case control.ModeProviderError, control.ModeContentFilter:
		if f.Mode() == control.ModeContentFilter && f.Filtered == control.FilterOutput || inStreamError(d, f, c) {
			return false
		}
		e := d.providerError(f.Type, ec)
		if e.status == 0 {
			return false // no such error on this provider: the answer refuses instead
		}
		s.retryHeaders(w, d, &e, f)
		s.writeError(w, d, e, c.requestID, att)
		return true
	}
	return false
}

// retryHeaders writes the retry hint f asks for into the answer's headers (or, for a
// provider that says it in its error body, into e) and returns the delay asked for.
func (s *Server) retryHeaders(w *recorder, d dialect, e *apiError, f control.Fault) time.Duration {
	if rd, ok := d.(retryHintDialect); ok {
		return rd.retryHint(w.Header(), e, f, s.now())
	}
	return f.SetRetryHeaders(w.Header(), s.now())
}

// inStreamError reports whether d reports f inside a started stream rather than as a
// status: the Responses API streams a context-length error as an error event after
// response.created.
func inStreamError(d dialect, f control.Fault, c *call) bool {
	_, responses := d.(responsesDialect)
	return responses && c.stream && f.Type == control.TypeContextLength
}

// pace is how fast tokens come.
type pace struct{ ttft, tokenDelay time.Duration }

// maxQuickWords is the most words an answer may hold for the body read deadline to be
// left to net/http (recorder.liftBodyDeadline): a whole answer that size (about 10 KB)
// is written at once.
const maxQuickWords = 1000

// maxBodyPrealloc is the most readBody reserves up front for a declared Content-Length.
const maxBodyPrealloc = 64 << 10

// readBody appends the request body, up to the size limit, to buf (a pooled buffer).
// The body is read under a deadline (the body read timeout) that is still set when it
// returns without error: the caller lifts it (recorder.liftBodyDeadline) before
// anything that may outlast it, or leaves it to net/http, which sets the connection's
// deadlines anew once the handler returns.
func (s *Server) readBody(w http.ResponseWriter, r *http.Request, buf []byte) ([]byte, control.BodyRead, error) {
	if r.ContentLength > s.maxBody {
		return buf, control.BodyRead{}, &http.MaxBytesError{Limit: s.maxBody}
	}
	if r.ContentLength > 0 {
		// What a request declares is not what it sends: reserve at most a modest start
		// and grow with the bytes that arrive.
		buf = slices.Grow(buf, int(min(r.ContentLength, maxBodyPrealloc))+1)
	}
	read := control.BodyDeadline(w, s.bodyTimeout)
	body := http.MaxBytesReader(w, r.Body, s.maxBody)
	for {
		if len(buf) == cap(buf) {
			buf = slices.Grow(buf, 512)
		}
		n, err := body.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if err == io.EOF {
			return buf, read, nil
		}
		if err != nil {
			read.End()
			return buf, control.BodyRead{}, err
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
