package llm

import (
	"net/http"
	"strconv"
	"time"

	"github.com/llmchaos/llmchaos/mocks/control"
)

// azureDialect is Azure OpenAI's Chat Completions: the OpenAI wire format (it embeds
// openAIDialect: tool calls, chunks, usage) with Azure's content filter results
// (prompt_filter_results first, content_filter_results on every choice), its error
// bodies ({"error":{"code","message"}} for what Azure itself refuses), retry-after-ms
// beside retry-after, and its rate-limit headers. The api-key header is accepted
// without checking.
type azureDialect struct {
	openAIDialect
	deployment      string // the deployment of the path; the model when the body names none
	version         string // the api-version query parameter
	deploymentRoute bool   // /openai/deployments/{deployment}/...: api-version is required
}

var (
	_ dialect          = azureDialect{}
	_ toolDialect      = azureDialect{}
	_ rateLimitDialect = azureDialect{}
	_ retryHintDialect = azureDialect{}
)

// Azure's content filter results (the default filters: nothing filtered, every
// severity safe; the output filter tripped on violence).
const (
	azureFilterCategories = `"hate":{"filtered":false,"severity":"safe"},` +
		`"self_harm":{"filtered":false,"severity":"safe"},"sexual":{"filtered":false,"severity":"safe"},`
	azurePromptFilterResults = `[{"prompt_index":0,"content_filter_results":{` + azureFilterCategories +
		`"jailbreak":{"filtered":false,"detected":false},"violence":{"filtered":false,"severity":"safe"}}}]`
	azureOutputSafe = `{` + azureFilterCategories +
		`"protected_material_code":{"filtered":false,"detected":false},"protected_material_text":{"filtered":false,"detected":false},` +
		`"violence":{"filtered":false,"severity":"safe"}}`
	azureOutputFiltered = `{` + azureFilterCategories +
		`"protected_material_code":{"filtered":false,"detected":false},"protected_material_text":{"filtered":false,"detected":false},` +
		`"violence":{"filtered":true,"severity":"medium"}}`
)

// azureOutputFilter is the content_filter_results of an answer that ended as c.stop says.
func azureOutputFilter(c *call) string {
	if c.stop == stopFilter {
		return azureOutputFiltered
	}
	return azureOutputSafe
}

func (d azureDialect) parse(body []byte) (chatRequest, *apiError) {
	if d.deploymentRoute && d.version == "" {
		return chatRequest{}, &apiError{status: http.StatusNotFound, code: "404", codeOnly: true, msg: "Resource not found"}
	}
	return parseOpenAIOr(body, d.deployment)
}

func (d azureDialect) statusError(status int) apiError {
	return azureStatusError(status, d.apiVersion())
}
func (d azureDialect) streamFailure(status int) apiError {
	if status == 0 {
		return openAIStatusError(http.StatusInternalServerError)
	}
	return azureStatusError(status, d.apiVersion())
}

// apiVersion names the API in Azure's rate-limit messages.
func (d azureDialect) apiVersion() string {
	if d.version == "" {
		return "v1"
	}
	return d.version
}

func (d azureDialect) providerError(t control.FaultType, ec errorContext) apiError {
	switch t {
	case control.TypeInvalidKey, control.TypeModelNotFound:
		return azureStatusError(map[control.FaultType]int{control.TypeInvalidKey: 401, control.TypeModelNotFound: 404}[t], d.apiVersion())
	case control.TypeQuota:
		limit := "call rate limit"
		if ec.admission.Refused == "tokens" {
			limit = "token rate limit"
		}
		return apiError{status: 429, code: "429", codeOnly: true, msg: azureRateLimitMessage(d.apiVersion(), limit, ec.admission.RetryAfter)}
	}
	return openAIProviderError(t, ec, false)
}

func (azureDialect) setHeaders(h http.Header, requestID string) {
	h["X-Request-Id"] = []string{requestID}
	h["Apim-Request-Id"] = []string{requestID}
}

func (azureDialect) appendError(b []byte, e apiError, _ string) []byte {
	if !e.codeOnly {
		return appendOpenAIError(b, e)
	}
	b = append(b, `{"error":{"code":`...)
	b = appendString(b, e.code)
	b = append(b, `,"message":`...)
	b = appendString(b, e.msg)
	return append(b, "}}"...)
}

// azureRateLimitKeys are the rate-limit headers Azure OpenAI sends, canonical.
var azureRateLimitKeys = []string{
	"X-Ratelimit-Limit-Requests", "X-Ratelimit-Remaining-Requests",
	"X-Ratelimit-Limit-Tokens", "X-Ratelimit-Remaining-Tokens",
}

func (azureDialect) setRateLimitHeaders(h http.Header, l control.Limits, _ time.Time) {
	var buf [64]byte
	var ends [4]int
	b := strconv.AppendInt(buf[:0], int64(l.RequestsLimit), 10)
	ends[0] = len(b)
	b = strconv.AppendInt(b, int64(l.RequestsRemaining), 10)
	ends[1] = len(b)
	b = strconv.AppendInt(b, int64(l.TokensLimit), 10)
	ends[2] = len(b)
	b = strconv.AppendInt(b, int64(l.TokensRemaining), 10)
	ends[3] = len(b)
	setHeaderValues(h, azureRateLimitKeys, b, ends[:])
}

// retryHint sends retry-after and retry-after-ms (Azure sends both; retry_after_as picks
// otherwise), and names the wait in a 429's message as Azure does.
func (d azureDialect) retryHint(h http.Header, e *apiError, f control.Fault, now time.Time) time.Duration {
	if f.RetryAfterAs == "" {
		f.RetryAfterAs = control.RetryAfterMs
	}
	wait := f.SetRetryHeaders(h, now)
	if e.codeOnly && e.status == http.StatusTooManyRequests && wait > 0 && f.Type != control.TypeQuota {
		e.msg = azureRateLimitMessage(d.apiVersion(), "call rate limit", wait)
	}
	return wait
}

// azureRateLimitMessage is Azure's 429 message for a limit ("call rate limit", "token
// rate limit") and the wait it names (at least a second).
func azureRateLimitMessage(version, limit string, wait time.Duration) string {
	secs := retryAfterSeconds(wait)
	unit := " seconds."
	if secs == "1" {
		unit = " second."
	}
	return "Requests to the ChatCompletions_Create Operation under Azure OpenAI API version " + version +
		" have exceeded " + limit + " of your current OpenAI S0 pricing tier. Please retry after " + secs + unit +
		" Please go here: https://aka.ms/oai/quotaincrease if you would like to further increase the default rate limit."
}

// azureStatusError is Azure's answer to a status: its own shape for what the Azure
// front refuses (401, 404, 429, 503 and the 529 of an overload), OpenAI's otherwise.
func azureStatusError(status int, version string) apiError {
	switch status {
	case http.StatusUnauthorized:
		return apiError{status: status, code: "401", codeOnly: true, msg: "Access denied due to invalid subscription key or wrong API endpoint. " +
			"Make sure to provide a valid key for an active subscription and use a correct regional API endpoint for your resource."}
	case http.StatusNotFound:
		return apiError{status: status, code: "DeploymentNotFound", codeOnly: true,
			msg: "The API deployment for this resource does not exist. If you created the deployment within the last 5 minutes, please wait a moment and try again."}
	case http.StatusTooManyRequests:
		return apiError{status: status, code: "429", codeOnly: true, msg: azureRateLimitMessage(version, "call rate limit", 0)}
	case http.StatusServiceUnavailable, 529:
		return apiError{status: http.StatusServiceUnavailable, code: "ServiceUnavailable", codeOnly: true,
			msg: "The service is temporarily unable to process your request. Please try again later."}
	}
	return openAIStatusError(status)
}

func (azureDialect) appendAnswer(b []byte, c *call, toks []string) []byte {
	return appendChatAnswer(b, c, toks, true)
}

// appendStart writes Azure's first chunk (no choices, the prompt filter results) and
// the role chunk.
func (d azureDialect) appendStart(b []byte, c *call) []byte {
	b = append(b, `data: {"choices":[],"created":0,"id":"","model":"","object":"","prompt_filter_results":`...)
	b = append(b, azurePromptFilterResults...)
	b = append(b, "}\n\n"...)
	return d.openAIDialect.appendStart(b, c)
}

// appendToken writes a content chunk with its choice's content_filter_results.
func (azureDialect) appendToken(b []byte, c *call, tok string) []byte {
	b = append(b, c.prefix...)
	b = append(b, `"content":`...)
	b = appendString(b, tok)
	b = append(b, `},"logprobs":null,"finish_reason":null,"content_filter_results":`...)
	b = append(b, azureOutputSafe...)
	b = append(b, "}]"...)
	return appendChunkTail(b, c)
}

// appendEnd writes the finish chunk with the filter results (filtered on a
// content-filter fault: finish_reason content_filter), usage when asked, [DONE].
func (azureDialect) appendEnd(b []byte, c *call) []byte {
	return appendChatEnd(b, c, azureOutputFilter(c))
}
