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

// openAIRateLimitKeys are OpenAI's rate-limit headers, canonical, in the order
// setOpenAIRateLimitHeaders fills them.
var openAIRateLimitKeys = []string{
	"X-Ratelimit-Limit-Requests", "X-Ratelimit-Remaining-Requests", "X-Ratelimit-Reset-Requests",
	"X-Ratelimit-Limit-Tokens", "X-Ratelimit-Remaining-Tokens", "X-Ratelimit-Reset-Tokens",
}

// setOpenAIRateLimitHeaders writes OpenAI's x-ratelimit-* headers: limit, remaining and
// reset (a duration until the bucket is full, as "1s" or "6m0s") for requests and tokens.
func setOpenAIRateLimitHeaders(h http.Header, l control.Limits) {
	var buf [128]byte
	var ends [6]int
	b := strconv.AppendInt(buf[:0], int64(l.RequestsLimit), 10)
	ends[0] = len(b)
	b = strconv.AppendInt(b, int64(l.RequestsRemaining), 10)
	ends[1] = len(b)
	b = appendResetDuration(b, l.RequestsReset)
	ends[2] = len(b)
	b = strconv.AppendInt(b, int64(l.TokensLimit), 10)
	ends[3] = len(b)
	b = strconv.AppendInt(b, int64(l.TokensRemaining), 10)
	ends[4] = len(b)
	b = appendResetDuration(b, l.TokensReset)
	ends[5] = len(b)
	setHeaderValues(h, openAIRateLimitKeys, b, ends[:])
}

// setHeaderValues sets keys[i] to b[ends[i-1]:ends[i]], with two allocations for all:
// one string holding every value and one slice holding the headers' value slices.
func setHeaderValues(h http.Header, keys []string, b []byte, ends []int) {
	all := string(b)
	vals := make([]string, len(keys))
	start := 0
	for i, k := range keys {
		vals[i] = all[start:ends[i]]
		h[k] = vals[i : i+1 : i+1]
		start = ends[i]
	}
}

// appendResetDuration appends d, rounded to the millisecond, as Go's Duration.String
// writes it ("0s", "600ms", "1.2s", "6m0s", "1h0m0s"): the form OpenAI's reset headers use.
func appendResetDuration(b []byte, d time.Duration) []byte {
	d = d.Round(time.Millisecond)
	switch {
	case d <= 0:
		return append(b, "0s"...)
	case d < time.Second:
		return append(strconv.AppendInt(b, int64(d/time.Millisecond), 10), "ms"...)
	}
	h, m := d/time.Hour, d%time.Hour/time.Minute
	if h > 0 {
		b = append(strconv.AppendInt(b, int64(h), 10), 'h')
	}
	if h > 0 || m > 0 {
		b = append(strconv.AppendInt(b, int64(m), 10), 'm')
	}
	b = strconv.AppendInt(b, int64(d%time.Minute/time.Second), 10)
	if ms := int64(d % time.Second / time.Millisecond); ms > 0 {
		frac := []byte{'.', byte('0' + ms/100), byte('0' + ms/10%10), byte('0' + ms%10)}
		for frac[len(frac)-1] == '0' {
			frac = frac[:len(frac)-1]
		}
		b = append(b, frac...)
	}
	return append(b, 's')
}

// anthropicRateLimitKeys are Anthropic's rate-limit headers, canonical, in the order
// setAnthropicRateLimitHeaders fills them.
var anthropicRateLimitKeys = func() []string {
	var out []string
	for _, kind := range []string{"Requests", "Tokens", "Input-Tokens", "Output-Tokens"} {
		for _, what := range []string{"Limit", "Remaining", "Reset"} {
			out = append(out, "Anthropic-Ratelimit-"+kind+"-"+what)
		}
	}
	return out
}()

// setAnthropicRateLimitHeaders writes Anthropic's anthropic-ratelimit-* headers: limit,
// remaining and reset (RFC 3339, when the bucket is full again, rounded up to the
// second) for requests, tokens, input tokens and output tokens. The tokens bucket is one
// (input and output together), so the input- and output- headers repeat it.
func setAnthropicRateLimitHeaders(h http.Header, l control.Limits, now time.Time) {
	var buf [256]byte
	var ends [12]int
	b := buf[:0]
	for i := 0; i < 4; i++ {
		limit, remaining, reset := l.TokensLimit, l.TokensRemaining, l.TokensReset
		if i == 0 {
			limit, remaining, reset = l.RequestsLimit, l.RequestsRemaining, l.RequestsReset
		}
		b = strconv.AppendInt(b, int64(limit), 10)
		ends[3*i] = len(b)
		b = strconv.AppendInt(b, int64(remaining), 10)
		ends[3*i+1] = len(b)
		b = appendRFC3339(b, now.Add(reset))
		ends[3*i+2] = len(b)
	}
	setHeaderValues(h, anthropicRateLimitKeys, b, ends[:])
}

// appendRFC3339 appends t in UTC, rounded up to the second.
func appendRFC3339(b []byte, t time.Time) []byte {
	if t.Nanosecond() != 0 {
		t = t.Truncate(time.Second).Add(time.Second)
	}
	return t.UTC().AppendFormat(b, time.RFC3339)
}

// admit passes a request of tokens through the mock's account and the quota fault, if
// one is active, at now (the request's arrival), and sets the rate-limit headers d's
// provider sends. It returns the quota's refusal (Refused set) or an admission.
func (s *Server) admit(w http.ResponseWriter, d dialect, tokens int, now time.Time) control.Admission {
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
	att.Fault = string(control.TypeQuota)
	e := d.providerError(control.TypeQuota, ec)
	if rd, ok := d.(retryHintDialect); ok {
		if a.RetryAfter > 0 {
			f := control.Fault{Type: control.TypeQuota, RetryAfter: control.Duration(a.RetryAfter), RetryAfterAs: control.RetryAfterMs}
			att.RetryAfter = rd.retryHint(w.Header(), &e, f, s.now())
		}
		s.writeError(w, d, e, requestID, att)
		return
	}
	if a.RetryAfter > 0 {
		w.Header()["Retry-After"] = []string{retryAfterSeconds(a.RetryAfter)}
		if _, anthropic := d.(anthropicDialect); !anthropic {
			w.Header()["Retry-After-Ms"] = []string{strconv.FormatInt(a.RetryAfter.Milliseconds()+1, 10)}
		}
		att.RetryAfter = a.RetryAfter
	}
	s.writeError(w, d, e, requestID, att)
}
