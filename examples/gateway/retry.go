package main

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/anthropics/anthropic-sdk-go"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/smithy-go"
	"github.com/openai/openai-go/v3"
)

// attemptError is a failed upstream attempt, classified for the retry and breaker logic.
type attemptError struct {
	upstream string
	status   int           // HTTP status; 0 for a transport failure or timeout
	wait     time.Duration // what Retry-After / retry-after-ms asked for; 0 if nothing
	noRetry  bool          // x-should-retry: false
	timeout  bool          // the gateway's own attempt timeout struck
	cut      bool          // the stream ended without its proper end
	// nonRetryable: the provider says retrying this request cannot help (a 4xx but 408,
	// 409 and 429; a 429 insufficient_quota; a context-length error inside a stream).
	// Another upstream may still take it: the gateway fails over, never retries.
	nonRetryable bool
	// account: the upstream refuses every request, not just this one (401, 403, 404,
	// insufficient quota): it counts against the upstream's breaker.
	account bool
	err     error
}

func (e *attemptError) Error() string {
	switch {
	case e.timeout:
		return fmt.Sprintf("%s: attempt timed out: %v", e.upstream, e.err)
	case e.cut:
		return fmt.Sprintf("%s: stream cut before its end: %v", e.upstream, e.err)
	case e.status != 0:
		return fmt.Sprintf("%s: HTTP %d: %v", e.upstream, e.status, e.err)
	default:
		return fmt.Sprintf("%s: %v", e.upstream, e.err)
	}
}

func (e *attemptError) Unwrap() error { return e.err }

// upstreamFault reports whether the failure says the upstream is unwell (counts against
// its breaker): transport errors, timeouts, cuts, 408, 409, 429, 5xx, and the account
// errors (invalid key, unknown model, quota spent).
func (e *attemptError) upstreamFault() bool {
	return e.status == 0 || e.status == 408 || e.status == 409 || e.status == 429 || e.status >= 500 || e.account
}

// retryable reports whether the same upstream may be tried again for this request:
// never for an answer that says not to (x-should-retry: false, a non-retryable error).
func (e *attemptError) retryable() bool {
	return !e.noRetry && !e.nonRetryable && e.upstreamFault()
}

// markNonRetryable reads, from an error answer's status and body, whether the provider
// means it not to be retried and whether it concerns the whole account.
func (e *attemptError) markNonRetryable(body string) {
	quota := e.status == 429 && strings.Contains(body, "insufficient_quota") ||
		e.status == 400 && strings.Contains(body, "credit balance is too low")
	e.nonRetryable = quota || e.status >= 400 && e.status < 500 && e.status != 408 && e.status != 409 && e.status != 429
	e.account = quota || e.status == 401 || e.status == 403 || e.status == 404
}

// classify wraps err from an attempt on upstream. timedOut says the gateway's watchdog fired.
func classify(upstream string, err error, timedOut bool) *attemptError {
	ae := &attemptError{upstream: upstream, err: err, timeout: timedOut}
	var resp *http.Response
	var oe *openai.Error
	var ane *anthropic.Error
	var awsErr *awshttp.ResponseError
	var apiErr smithy.APIError
	switch {
	case errors.As(err, &oe):
		ae.status, resp = oe.StatusCode, oe.Response
	case errors.As(err, &ane):
		ae.status, resp = ane.StatusCode, ane.Response
	case errors.As(err, &awsErr):
		ae.status = awsErr.HTTPStatusCode()
		if awsErr.Response != nil {
			resp = awsErr.Response.Response
		}
	case errors.As(err, &apiErr): // an exception inside a Bedrock stream: no HTTP status of its own
		ae.status = bedrockStreamStatus[apiErr.ErrorCode()]
	}
	if resp != nil {
		ae.wait = retryAfter(resp.Header, time.Now())
		ae.noRetry = strings.EqualFold(resp.Header.Get("x-should-retry"), "false")
	}
	switch {
	case oe != nil:
		ae.markNonRetryable(oe.RawJSON())
	case ane != nil:
		ae.markNonRetryable(ane.RawJSON())
	}
	if strings.Contains(err.Error(), "context_length_exceeded") { // an error event inside a stream
		ae.nonRetryable = true
	}
	return ae
}

// bedrockStreamStatus is the HTTP status Bedrock gives the exceptions a ConverseStream
// can carry, so a throttlingException counts as a 429 (0: a transport-like failure).
var bedrockStreamStatus = map[string]int{
	"ThrottlingException": 429, "ServiceUnavailableException": 503, "InternalServerException": 500,
	"ValidationException": 400, "ModelStreamErrorException": 424,
}

// retryAfter reads retry-after-ms, then x-amz-retry-after (milliseconds, Bedrock), then Retry-After (seconds or an HTTP date); 0 if absent.
func retryAfter(h http.Header, now time.Time) time.Duration {
	for _, name := range []string{"retry-after-ms", "x-amz-retry-after"} {
		if ms, err := strconv.ParseFloat(h.Get(name), 64); err == nil && ms > 0 {
			return time.Duration(ms * float64(time.Millisecond))
		}
	}
	v := h.Get("Retry-After")
	if v == "" {
		return 0
	}
	if s, err := strconv.ParseFloat(v, 64); err == nil {
		if s <= 0 {
			return 0
		}
		return time.Duration(s * float64(time.Second))
	}
	if t, err := http.ParseTime(v); err == nil {
		if d := t.Sub(now); d > 0 {
			return d
		}
	}
	return 0
}

// retryBudget is a token bucket: every request adds ratio tokens (up to burst), every
// retry on an upstream already tried for the request takes one. So retries stay within
// ratio of the traffic and an outage cannot turn into a retry storm.
type retryBudget struct {
	mu     sync.Mutex
	tokens float64
	ratio  float64
	burst  float64
}

func newRetryBudget(ratio, burst float64) *retryBudget {
	return &retryBudget{tokens: burst, ratio: ratio, burst: burst}
}

// deposit credits one request.
func (b *retryBudget) deposit() {
	b.mu.Lock()
	b.tokens = min(b.burst, b.tokens+b.ratio)
	b.mu.Unlock()
}

// withdraw takes a token for one retry; false when the budget is spent.
func (b *retryBudget) withdraw() bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.tokens < 1 {
		return false
	}
	b.tokens--
	return true
}

// sleepCtx waits d or until ctx ends; false if ctx ended first.
func sleepCtx(ctx context.Context, d time.Duration) bool {
	if d <= 0 {
		return true
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
