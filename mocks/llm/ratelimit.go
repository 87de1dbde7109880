package llm

import (
	"net/http"
	"strconv"
	"time"

	"github.com/llmchaos/llmchaos/mocks/control"
)

// Every completion answer carries the provider's rate-limit headers. The mock plays an
// account with the limits of WithRateLimits, counted (a control.Quota that only reports:
// the headers count down and refill) but not enforced; a quota fault enforces its own
// limits, and its buckets then fill the headers of the dimensions it limits.

// setOpenAIRateLimitHeaders writes OpenAI's x-ratelimit-* headers: limit, remaining and
// reset (a duration until the bucket is full, as "1s" or "6m0s") for requests and tokens.
func setOpenAIRateLimitHeaders(h http.Header, l control.Limits) {
	h["X-Ratelimit-Limit-Requests"] = []string{strconv.Itoa(l.RequestsLimit)}
	h["X-Ratelimit-Remaining-Requests"] = []string{strconv.Itoa(l.RequestsRemaining)}
	h["X-Ratelimit-Reset-Requests"] = []string{resetDuration(l.RequestsReset)}
	h["X-Ratelimit-Limit-Tokens"] = []string{strconv.Itoa(l.TokensLimit)}
	h["X-Ratelimit-Remaining-Tokens"] = []string{strconv.Itoa(l.TokensRemaining)}
	h["X-Ratelimit-Reset-Tokens"] = []string{resetDuration(l.TokensReset)}
}

// resetDuration writes d as OpenAI does: a Go duration, to the millisecond.
func resetDuration(d time.Duration) string {
	if d <= 0 {
		return "0s"
	}
	return d.Round(time.Millisecond).String()
}

// setAnthropicRateLimitHeaders writes Anthropic's anthropic-ratelimit-* headers: limit,
// remaining and reset (RFC 3339, when the bucket is full again, rounded up to the
// second) for requests, tokens, input tokens and output tokens. The tokens bucket is one
// (input and output together), so the input- and output- headers repeat it.
func setAnthropicRateLimitHeaders(h http.Header, l control.Limits, now time.Time) {
	reqReset := rfc3339(now.Add(l.RequestsReset))
	tokReset := rfc3339(now.Add(l.TokensReset))
	h["Anthropic-Ratelimit-Requests-Limit"] = []string{strconv.Itoa(l.RequestsLimit)}
	h["Anthropic-Ratelimit-Requests-Remaining"] = []string{strconv.Itoa(l.RequestsRemaining)}
	h["Anthropic-Ratelimit-Requests-Reset"] = []string{reqReset}
	limit, remaining := strconv.Itoa(l.TokensLimit), strconv.Itoa(l.TokensRemaining)
	for _, kind := range []string{"Tokens", "Input-Tokens", "Output-Tokens"} {
		h["Anthropic-Ratelimit-"+kind+"-Limit"] = []string{limit}
		h["Anthropic-Ratelimit-"+kind+"-Remaining"] = []string{remaining}
		h["Anthropic-Ratelimit-"+kind+"-Reset"] = []string{tokReset}
	}
}

// rfc3339 writes t in UTC, rounded up to the second.
func rfc3339(t time.Time) string {
	if t.Nanosecond() != 0 {
		t = t.Truncate(time.Second).Add(time.Second)
	}
	return t.UTC().Format(time.RFC3339)
}

// admit passes a request of tokens through the mock's account and the quota fault, if
// one is active, and sets the rate-limit headers d's provider sends. It returns the
// quota's refusal (Refused set) or an admission.
func (s *Server) admit(w http.ResponseWriter, d dialect, tokens int) control.Admission {
	now := s.now()
	adm := s.account.Admit(tokens, now)
	if q := s.Quota(); q != nil {
		qa := q.Admit(tokens, now)
		adm = overlay(adm, qa)
	}
	if rd, ok := d.(rateLimitDialect); ok {
		rd.setRateLimitHeaders(w.Header(), adm.Limits, now)
	}
	return adm
}

// overlay is the account's admission with the dimensions the quota limits taken from
// the quota's, and the quota's refusal if it refused.
func overlay(account, quota control.Admission) control.Admission {
	out := account
	if quota.RequestsLimit > 0 {
		out.RequestsLimit, out.RequestsRemaining, out.RequestsReset = quota.RequestsLimit, quota.RequestsRemaining, quota.RequestsReset
	}
	if quota.TokensLimit > 0 {
		out.TokensLimit, out.TokensRemaining, out.TokensReset = quota.TokensLimit, quota.TokensRemaining, quota.TokensReset
	}
	out.Refused, out.RetryAfter, out.TooLarge, out.Used, out.Requested = quota.Refused, quota.RetryAfter, quota.TooLarge, quota.Used, quota.Requested
	return out
}

// peekRateLimits sets the rate-limit headers without taking anything (answers to
// requests that never reached the model: bad input).
func (s *Server) peekRateLimits(w http.ResponseWriter, d dialect) {
	rd, ok := d.(rateLimitDialect)
	if !ok {
		return
	}
	now := s.now()
	l := s.account.Peek(now)
	if q := s.Quota(); q != nil {
		l = overlay(control.Admission{Limits: l}, control.Admission{Limits: q.Peek(now)}).Limits
	}
	rd.setRateLimitHeaders(w.Header(), l, now)
}

// writeQuotaRefusal answers a request the quota refused: the provider's 429 with
// retry-after (seconds, rounded up; OpenAI also retry-after-ms), none when the request
// can never fit.
func (s *Server) writeQuotaRefusal(w *recorder, d dialect, ec errorContext, requestID string, att *control.Attempt) {
	a := ec.admission
	if a.RetryAfter > 0 {
		w.Header()["Retry-After"] = []string{retryAfterSeconds(a.RetryAfter)}
		if _, anthropic := d.(anthropicDialect); !anthropic {
			w.Header()["Retry-After-Ms"] = []string{strconv.FormatInt(a.RetryAfter.Milliseconds()+1, 10)}
		}
		att.RetryAfter = a.RetryAfter
	}
	att.Fault = string(control.TypeQuota)
	s.writeError(w, d, d.providerError(control.TypeQuota, ec), requestID, att)
}
