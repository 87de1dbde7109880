package llm

import (
	"net/http"
	"strconv"
	"time"

	"github.com/llmchaos/llmchaos/mocks/control"
)

// geminiContextWindow is the input limit Gemini's context-length message names.
const geminiContextWindow = 1048576

// Google's error details (google.rpc types) the mock sends, without the brackets.
const (
	geminiHelpDetail = `{"@type":"type.googleapis.com/google.rpc.Help","links":[{"description":"Learn more about Gemini API quotas","url":"https://ai.google.dev/gemini-api/docs/rate-limits"}]}`
	geminiKeyDetail  = `{"@type":"type.googleapis.com/google.rpc.ErrorInfo","reason":"API_KEY_INVALID","domain":"googleapis.com","metadata":{"service":"generativelanguage.googleapis.com"}}`
	geminiQuotaMsg   = "You exceeded your current quota, please check your plan and billing details. For more information on this error, head to: https://ai.google.dev/gemini-api/docs/rate-limits."
)

// geminiQuotaDetail is a QuotaFailure naming the quota that was spent.
func geminiQuotaDetail(quotaID, metric string) string {
	return `{"@type":"type.googleapis.com/google.rpc.QuotaFailure","violations":[{"quotaMetric":"generativelanguage.googleapis.com/` + metric +
		`","quotaId":"` + quotaID + `"}]}`
}

// geminiStatusError is Google's error for an HTTP status: the google.rpc status name
// and its usual message. An overload (529, the overloaded fault) is Gemini's 503
// UNAVAILABLE: Google has no 529.
func geminiStatusError(status int) apiError {
	e := apiError{status: status}
	switch status {
	case http.StatusBadRequest:
		e.typ, e.msg = "INVALID_ARGUMENT", "Request contains an invalid argument."
	case http.StatusUnauthorized:
		e.typ, e.msg = "UNAUTHENTICATED", "Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential."
	case http.StatusForbidden:
		e.typ, e.msg = "PERMISSION_DENIED", "The caller does not have permission"
	case http.StatusNotFound:
		e.typ, e.msg = "NOT_FOUND", "Requested entity was not found."
	case http.StatusConflict:
		e.typ, e.msg = "ABORTED", "The operation was aborted."
	case http.StatusRequestEntityTooLarge:
		e.typ, e.msg = "INVALID_ARGUMENT", "Request payload size exceeds the limit."
	case http.StatusTooManyRequests:
		e.typ, e.msg = "RESOURCE_EXHAUSTED", "Resource has been exhausted (e.g. check quota)."
	case 499:
		e.typ, e.msg = "CANCELLED", "The operation was cancelled."
	case http.StatusInternalServerError:
		e.typ, e.msg = "INTERNAL", "An internal error has occurred. Please retry or report in https://developers.generativeai.google/guide/troubleshooting"
	case http.StatusNotImplemented:
		e.typ, e.msg = "UNIMPLEMENTED", "Operation is not implemented, or supported, or enabled."
	case http.StatusServiceUnavailable, 529:
		e.status, e.typ, e.msg = http.StatusServiceUnavailable, "UNAVAILABLE", "The model is overloaded. Please try again later."
	case http.StatusGatewayTimeout:
		e.typ, e.msg = "DEADLINE_EXCEEDED", "Deadline expired before operation could complete."
	default:
		e.typ, e.msg = "UNKNOWN", http.StatusText(status)
		if e.msg == "" {
			e.msg = "HTTP " + strconv.Itoa(status)
		}
	}
	return e
}

// geminiProviderError is Gemini's semantic error for t. A content filter has no error
// (status 0): the answer blocks the prompt (promptFeedback) instead.
func geminiProviderError(t control.FaultType, ec errorContext) apiError {
	switch t {
	case control.TypeContextLength:
		return apiError{status: 400, typ: "INVALID_ARGUMENT",
			msg: "The input token count (" + strconv.Itoa(geminiContextWindow+ec.promptTokens) + ") exceeds the maximum number of tokens allowed (" + strconv.Itoa(geminiContextWindow) + ")."}
	case control.TypeContentFilter:
		return apiError{}
	case control.TypeInsufficientQuota:
		return apiError{status: 429, typ: "RESOURCE_EXHAUSTED", noRetry: true, msg: geminiQuotaMsg,
			extra: geminiQuotaDetail("GenerateRequestsPerDayPerProjectPerModel-FreeTier", "generate_content_free_tier_requests") + "," + geminiHelpDetail}
	case control.TypeInvalidKey:
		return apiError{status: 400, typ: "INVALID_ARGUMENT", msg: "API key not valid. Please pass a valid API key.", extra: geminiKeyDetail}
	case control.TypeModelNotFound:
		return apiError{status: 404, typ: "NOT_FOUND",
			msg: "models/" + ec.model + " is not found for API version v1beta, or is not supported for generateContent. Call ListModels to see the list of available models and their supported methods."}
	case control.TypeQuota:
		id, metric := "GenerateRequestsPerMinutePerProjectPerModel", "generate_content_requests"
		if ec.admission.Refused == "tokens" {
			id, metric = "GenerateContentInputTokensPerModelPerMinute", "generate_content_input_token_count"
		}
		return apiError{status: 429, typ: "RESOURCE_EXHAUSTED", msg: geminiQuotaMsg, extra: geminiQuotaDetail(id, metric) + "," + geminiHelpDetail}
	}
	return geminiStatusError(http.StatusBadRequest)
}

// appendGeminiError appends {"error":{"code","message","status","details"}}: the
// details e carries, then a RetryInfo when e asks the client to wait.
func appendGeminiError(b []byte, e apiError) []byte {
	b = append(b, `{"error":{"code":`...)
	b = strconv.AppendInt(b, int64(e.status), 10)
	b = append(b, `,"message":`...)
	b = appendString(b, e.msg)
	b = append(b, `,"status":`...)
	b = appendString(b, e.typ)
	if e.extra != "" || e.retryDelay > 0 {
		b = append(b, `,"details":[`...)
		b = append(b, e.extra...)
		if e.retryDelay > 0 {
			if e.extra != "" {
				b = append(b, ',')
			}
			b = append(b, `{"@type":"type.googleapis.com/google.rpc.RetryInfo","retryDelay":"`...)
			b = appendProtoDuration(b, e.retryDelay)
			b = append(b, `"}`...)
		}
		b = append(b, ']')
	}
	return append(b, "}}"...)
}

// appendProtoDuration writes d as a google.protobuf.Duration's JSON: seconds with the
// fraction it needs, then "s" ("2s", "1.5s").
func appendProtoDuration(b []byte, d time.Duration) []byte {
	b = strconv.AppendFloat(b, d.Seconds(), 'f', -1, 64)
	return append(b, 's')
}
