package llm

import (
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/llmchaos/llmchaos/mocks/control"
)

// The providers' semantic errors, with the bodies they really send (sources in
// docs/mocks-llm.md, "Where the shapes come from").

// Context windows the context-length messages name.
const (
	openAIContextWindow    = 128000
	anthropicContextWindow = 200000
)

// azureContentFilter is the body of Azure OpenAI's prompt filter, after "code".
const azureContentFilter = `,"status":400,"innererror":{"code":"ResponsibleAIPolicyViolation","content_filter_result":{` +
	`"hate":{"filtered":false,"severity":"safe"},"jailbreak":{"filtered":false,"detected":false},` +
	`"self_harm":{"filtered":false,"severity":"safe"},"sexual":{"filtered":false,"severity":"safe"},` +
	`"violence":{"filtered":true,"severity":"medium"}}}`

// openAIProviderError is OpenAI's (and Azure OpenAI's) semantic error for t; responses
// selects the Responses API's wording where it differs (context length).
func openAIProviderError(t control.FaultType, ec errorContext, responses bool) apiError {
	switch t {
	case control.TypeContextLength:
		if responses {
			return apiError{status: 400, typ: "invalid_request_error", param: "input", code: "context_length_exceeded",
				msg: "Your input exceeds the context window of this model. Please adjust your input and try again."}
		}
		return apiError{status: 400, typ: "invalid_request_error", param: "messages", code: "context_length_exceeded",
			msg: "This model's maximum context length is " + strconv.Itoa(openAIContextWindow) + " tokens. However, your messages resulted in " +
				strconv.Itoa(openAIContextWindow+ec.promptTokens) + " tokens. Please reduce the length of the messages."}
	case control.TypeContentFilter:
		return apiError{status: 400, nullType: true, param: "prompt", code: "content_filter", extra: azureContentFilter,
			msg: "The response was filtered due to the prompt triggering Azure OpenAI's content management policy. Please modify your prompt and retry. " +
				"To learn more about our content filtering policies please read our documentation: https://go.microsoft.com/fwlink/?linkid=2198766"}
	case control.TypeInsufficientQuota:
		return apiError{status: 429, typ: "insufficient_quota", code: "insufficient_quota", noRetry: true,
			msg: "You exceeded your current quota, please check your plan and billing details. For more information on this error, read the docs: https://platform.openai.com/docs/guides/error-codes/api-errors."}
	case control.TypeInvalidKey:
		return apiError{status: 401, typ: "invalid_request_error", code: "invalid_api_key",
			msg: "Incorrect API key provided: " + maskKey(ec.apiKey) + ". You can find your API key at https://platform.openai.com/account/api-keys."}
	case control.TypeModelNotFound:
		return apiError{status: 404, typ: "invalid_request_error", code: "model_not_found",
			msg: "The model `" + ec.model + "` does not exist or you do not have access to it."}
	case control.TypeQuota:
		return openAIQuotaError(ec)
	}
	return openAIStatusError(http.StatusBadRequest)
}

// openAIQuotaError is OpenAI's 429 for a request the quota refused.
func openAIQuotaError(ec errorContext) apiError {
	a := ec.admission
	unit, abbr, limit := "requests", "RPM", a.RequestsLimit
	if a.Refused == "tokens" {
		unit, abbr, limit = "tokens", "TPM", a.TokensLimit
	}
	e := apiError{status: 429, typ: unit, code: "rate_limit_exceeded"}
	where := " for " + ec.model + " in organization org-llmchaos on " + unit + " per min (" + abbr + "): Limit " + strconv.Itoa(limit)
	if a.TooLarge {
		e.msg = "Request too large" + where + ", Requested " + strconv.Itoa(a.Requested) +
			". The input or output tokens must be reduced in order to run successfully. Visit https://platform.openai.com/account/rate-limits to learn more."
		return e
	}
	e.msg = "Rate limit reached" + where + ", Used " + strconv.Itoa(a.Used) + ", Requested " + strconv.Itoa(a.Requested) +
		". Please try again in " + a.RetryAfter.Round(time.Millisecond).String() + ". Visit https://platform.openai.com/account/rate-limits to learn more."
	return e
}

// anthropicProviderError is Anthropic's semantic error for t. A content filter has no
// error on Anthropic (status 0): the answer ends with stop_reason refusal instead.
func anthropicProviderError(t control.FaultType, ec errorContext) apiError {
	switch t {
	case control.TypeContextLength:
		return apiError{status: 400, typ: "invalid_request_error",
			msg: "prompt is too long: " + strconv.Itoa(anthropicContextWindow+ec.promptTokens) + " tokens > " + strconv.Itoa(anthropicContextWindow) + " maximum"}
	case control.TypeContentFilter:
		return apiError{}
	case control.TypeInsufficientQuota:
		return apiError{status: 400, typ: "invalid_request_error",
			msg: "Your credit balance is too low to access the Anthropic API. Please go to Plans & Billing to upgrade or purchase credits."}
	case control.TypeInvalidKey:
		return apiError{status: 401, typ: "authentication_error", msg: "invalid x-api-key"}
	case control.TypeModelNotFound:
		return apiError{status: 404, typ: "not_found_error", msg: "model: " + ec.model}
	case control.TypeQuota:
		a := ec.admission
		what := strconv.Itoa(a.RequestsLimit) + " requests per minute"
		if a.Refused == "tokens" {
			what = strconv.Itoa(a.TokensLimit) + " tokens per minute"
		}
		return apiError{status: 429, typ: "rate_limit_error",
			msg: "This request would exceed the rate limit for your organization (llmchaos) of " + what +
				". For details, refer to: https://docs.anthropic.com/en/api/rate-limits. You can see the response headers for current usage. " +
				"Please reduce the prompt length or the maximum tokens requested, or try again later."}
	}
	return anthropicStatusError(http.StatusBadRequest)
}

// maskKey shows an API key as OpenAI's invalid-key message does: its first 8 and last
// 4 characters, the rest starred (all starred when it is short).
func maskKey(key string) string {
	if len(key) <= 12 {
		return strings.Repeat("*", len(key))
	}
	return key[:8] + strings.Repeat("*", len(key)-12) + key[len(key)-4:]
}

// retryAfterSeconds is d in whole seconds, rounded up, at least 1.
func retryAfterSeconds(d time.Duration) string {
	return strconv.FormatInt(max(1, int64(math.Ceil(d.Seconds()))), 10)
}
