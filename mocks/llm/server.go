package llm

import (
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/llmchaos/llmchaos/mocks/control"
)

// Server is the mock LLM provider. It serves, as an http.Handler:
//
//	POST /v1/chat/completions  OpenAI Chat Completions, streamed or not (also /chat/completions)
//	POST /v1/responses         the OpenAI Responses API, streamed or not (also /responses)
//	POST /v1/messages          Anthropic Messages, streamed or not (also /messages)
//	GET  /v1/models            the model list, in Anthropic's shape when the request
//	                           carries anthropic-version or x-api-key, else OpenAI's
//	POST /v1beta/models/{model}:generateContent, :streamGenerateContent
//	                           Google Gemini (SSE with alt=sse, else a JSON array)
//	POST /openai/deployments/{deployment}/chat/completions?api-version=..., /openai/v1/chat/completions
//	                           Azure OpenAI (and /openai/v1/responses: the Responses API)
//	POST /model/{modelId}/converse, /model/{modelId}/converse-stream
//	                           Amazon Bedrock Converse (the stream in the AWS event-stream framing)
//
// Anything else gets 404 in the provider's error shape. Faults (the embedded FaultSet)
// shape completion answers; every completion answer carries the provider's rate-limit
// headers (the account of WithRateLimits, or a quota fault's limits); every request,
// whatever its path, goes to the journal.
// Create one with New; a Server must not be copied.
type Server struct {
	control.FaultSet

	journal    control.Journal
	name       string
	seed       int64
	words      int
	ttft       time.Duration
	tokenDelay time.Duration
	maxBody    int64
	// bodyTimeout bounds the wait for a request's whole body.
	bodyTimeout time.Duration
	now         func() time.Time
	anon        atomic.Int64
	// upstreamHeader is the X-Llmchaos-Upstream value, shared by every answer.
	upstreamHeader []string
	bufs           bufPool
	calls          callPool

	autoToolShare float64
	rpm, tpm      int
	maxStored     int
	account       *control.Quota // the account's limits, reported and never enforced
	responses     *responseStore // the stored responses a request may continue
}

var _ control.Mock = (*Server)(nil)

// Modes returns the fault modes a Server plays: every mode but ModePartialSuccess.
func Modes() []control.Mode {
	return []control.Mode{
		control.ModeStatus, control.ModeHang, control.ModeStreamError, control.ModeTruncate,
		control.ModeStall, control.ModeMalformed, control.ModeSlow, control.ModeNoUsage,
		control.ModeToolCallCut, control.ModeResponseFailed, control.ModeResponseIncomplete,
		control.ModeContentFilter, control.ModeProviderError, control.ModeQuota,
	}
}

// New returns a Server configured by opts, with no faults and an empty journal, or an
// error naming the option value it cannot use (answer words below 1, a negative delay, ...).
func New(opts ...Option) (*Server, error) {
	s := &Server{
		name:        DefaultName,
		seed:        DefaultSeed,
		words:       DefaultAnswerWords,
		ttft:        DefaultTTFT,
		tokenDelay:  DefaultTokenDelay,
		maxBody:     DefaultMaxBodyBytes,
		bodyTimeout: control.DefaultBodyReadTimeout,
		now:         time.Now,

		autoToolShare: DefaultAutoToolCallShare,
		rpm:           DefaultRequestsPerMinute,
		tpm:           DefaultTokensPerMinute,
		maxStored:     DefaultMaxStoredResponses,
	}
	s.Supported = Modes()
	for _, o := range opts {
		o(s)
	}
	if err := s.check(); err != nil {
		return nil, err
	}
	s.Clock = s.now
	s.account = control.NewReportingQuota(s.rpm, s.tpm, s.now())
	s.responses = newResponseStore(s.maxStored)
	s.upstreamHeader = []string{s.name}[:1:1]
	return s, nil
}

// Name returns the upstream name the Server answers as.
func (s *Server) Name() string { return s.name }

// Journal returns the Server's record of attempts.
func (s *Server) Journal() *control.Journal { return &s.journal }

// seqID is parts then seq in decimal, built with one allocation.
func seqID(seq int, parts ...string) string {
	var b [64]byte
	out := b[:0]
	for _, p := range parts {
		out = append(out, p...)
	}
	return string(strconv.AppendInt(out, int64(seq), 10))
}

// ServeHTTP answers one request and records it in the journal when the answer ends.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	seq := s.journal.Begin()
	arrived := s.now()
	rec := &recorder{w: w}
	rec.flusher, _ = w.(http.Flusher)
	att := control.Attempt{
		Seq:        seq,
		Upstream:   s.name,
		Arrived:    arrived,
		Method:     r.Method,
		Path:       r.URL.Path,
		RetryCount: retryCount(r.Header),
	}
	defer func() {
		att.Duration = s.now().Sub(arrived)
		att.Status = rec.status
		att.Bytes = rec.bytes
		if !att.Complete && (rec.failed || r.Context().Err() != nil) {
			att.Cut = true
		}
		s.journal.Record(att)
	}()
	requestID := seqID(seq, "req_llmchaos_")

	path := strings.TrimPrefix(r.URL.Path, "/v1")
	switch {
	case path == "/chat/completions" && r.Method == http.MethodPost:
		s.serveCompletion(rec, r, &att, openAIDialect{}, requestID)
	case path == "/responses" && r.Method == http.MethodPost:
		s.serveCompletion(rec, r, &att, responsesDialect{}, requestID)
	case path == "/messages" && r.Method == http.MethodPost:
		s.serveCompletion(rec, r, &att, anthropicDialect{}, requestID)
	case path == "/models" && r.Method == http.MethodGet:
		d := dialectFor(r)
		d.setHeaders(rec.Header(), requestID)
		buf := s.bufs.get()
		*buf = d.appendModels(*buf, s.now().Unix())
		att.Complete = rec.writeBody(http.StatusOK, "application/json", *buf) == nil
		s.bufs.put(buf)
	default:
		if d, ok := surfaceRoute(r); ok {
			s.serveCompletion(rec, r, &att, d, requestID)
			return
		}
		d := dialectFor(r)
		e := d.statusError(http.StatusNotFound)
		if _, ok := d.(openAIDialect); ok {
			e.code, e.msg = "unknown_url", "Invalid URL ("+r.Method+" "+r.URL.Path+")"
		}
		att.Error = e.msg
		s.writeError(rec, d, e, requestID, &att)
	}
}

// retryCount reads X-Stainless-Retry-Count (the OpenAI and Anthropic SDKs), else the
// AWS SDKs' amz-sdk-request: attempt=N (N-1 retries); -1 when neither is there or not a
// number.
func retryCount(h http.Header) int {
	v := headerValue(h, "X-Stainless-Retry-Count")
	if v == "" {
		return awsRetryCount(headerValue(h, "Amz-Sdk-Request"))
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		return -1
	}
	return n
}

// writeError writes e in d's error shape, and notes in att whether the answer says
// not to retry (control.NonRetryableStatus, an error marked so, x-should-retry: false).
func (s *Server) writeError(w *recorder, d dialect, e apiError, requestID string, att *control.Attempt) {
	att.NonRetryable = e.noRetry || control.NonRetryableStatus(e.status) || w.Header().Get("X-Should-Retry") == "false"
	d.setHeaders(w.Header(), requestID)
	if eh, ok := d.(errorHeaderer); ok {
		eh.setErrorHeaders(w.Header(), e)
	}
	buf := s.bufs.get()
	*buf = d.appendError(*buf, e, requestID)
	_ = w.writeBody(e.status, "application/json", *buf)
	s.bufs.put(buf)
}

// awsRetryCount reads "attempt=N; max=M" (amz-sdk-request): N-1, or -1.
func awsRetryCount(v string) int {
	if v == "" {
		return -1
	}
	for _, part := range strings.Split(v, ";") {
		if n, ok := strings.CutPrefix(strings.TrimSpace(part), "attempt="); ok {
			if a, err := strconv.Atoi(n); err == nil && a >= 1 {
				return a - 1
			}
		}
	}
	return -1
}
