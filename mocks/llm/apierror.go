package llm

import (
	"net/http"
	"strconv"
	"time"
)

// apiError is one error answer before the provider's wire format shapes it.
type apiError struct {
	status int
	// typ is the provider's error type (OpenAI error.type, Anthropic error.type).
	typ string
	// code and param are OpenAI's error.code and error.param; "" writes null.
	code, param string
	msg         string
	// nullType writes OpenAI's error.type as null (Azure's content filter does).
	nullType bool
	// extra is raw JSON members appended inside OpenAI's error object (Azure's
	// "status" and "innererror"), starting with a comma.
	extra string
	// codeOnly writes Azure's own shape, {"error":{"code","message"}}.
	codeOnly bool
	// retryDelay is Gemini's RetryInfo detail (0: none).
	retryDelay time.Duration
	// noRetry marks an error the provider means not to be retried whatever its status
	// (429 insufficient_quota), for the journal's NonRetryable.
	noRetry bool
}

// orStatus is status, or def when status is 0.
func orStatus(status, def int) int {
	if status == 0 {
		return def
	}
	return status
}

// openAIStatusError is the error OpenAI answers a status with.
func openAIStatusError(status int) apiError {
	e := apiError{status: status}
	switch status {
	case http.StatusBadRequest:
		e.typ, e.msg = "invalid_request_error", "Invalid request."
	case http.StatusUnauthorized:
		e.typ, e.code, e.msg = "invalid_request_error", "invalid_api_key", "Incorrect API key provided."
	case http.StatusForbidden:
		e.typ, e.code, e.msg = "invalid_request_error", "unsupported_country_region_territory", "Country, region, or territory not supported"
	case http.StatusNotFound:
		e.typ, e.code, e.msg = "invalid_request_error", "model_not_found", "The model does not exist or you do not have access to it."
	case http.StatusRequestTimeout:
		e.typ, e.code, e.msg = "timeout", "timeout", "Request timed out."
	case http.StatusConflict:
		e.typ, e.code, e.msg = "invalid_request_error", "conflict", "The request conflicts with another request."
	case http.StatusRequestEntityTooLarge:
		e.typ, e.code, e.msg = "invalid_request_error", "request_too_large", "The request body is too large."
	case http.StatusTooManyRequests:
		e.typ, e.code, e.msg = "rate_limit_error", "rate_limit_exceeded", "Rate limit reached for requests. Please try again later."
	case http.StatusInternalServerError:
		e.typ, e.msg = "server_error", "The server had an error while processing your request. Sorry about that!"
	case http.StatusBadGateway:
		e.typ, e.code, e.msg = "server_error", "bad_gateway", "Bad gateway."
	case http.StatusServiceUnavailable:
		e.typ, e.code, e.msg = "server_error", "service_unavailable", "The server is overloaded or not ready yet."
	case http.StatusGatewayTimeout:
		e.typ, e.code, e.msg = "server_error", "timeout", "Gateway timeout."
	case 529:
		e.typ, e.code, e.msg = "server_error", "overloaded", "The engine is currently overloaded, please try again later."
	default:
		if status >= 500 {
			e.typ, e.msg = "server_error", http.StatusText(status)
		} else {
			e.typ, e.msg = "invalid_request_error", http.StatusText(status)
		}
		if e.msg == "" {
			e.msg = "HTTP " + strconv.Itoa(status)
		}
	}
	return e
}

// anthropicStatusError is the error Anthropic answers a status with.
func anthropicStatusError(status int) apiError {
	e := apiError{status: status}
	switch status {
	case http.StatusBadRequest:
		e.typ, e.msg = "invalid_request_error", "Invalid request."
	case http.StatusUnauthorized:
		e.typ, e.msg = "authentication_error", "invalid x-api-key"
	case http.StatusPaymentRequired:
		e.typ, e.msg = "billing_error", "Your credit balance is too low."
	case http.StatusForbidden:
		e.typ, e.msg = "permission_error", "Your API key does not have permission to use the specified resource."
	case http.StatusNotFound:
		e.typ, e.msg = "not_found_error", "Not found."
	case http.StatusRequestEntityTooLarge:
		e.typ, e.msg = "request_too_large", "Request exceeds the maximum allowed number of bytes."
	case http.StatusTooManyRequests:
		e.typ, e.msg = "rate_limit_error", "Number of requests has exceeded your rate limit. Please try again later."
	case http.StatusInternalServerError:
		e.typ, e.msg = "api_error", "Internal server error"
	case http.StatusGatewayTimeout:
		e.typ, e.msg = "timeout_error", "Request timed out"
	case 529:
		e.typ, e.msg = "overloaded_error", "Overloaded"
	default:
		if status >= 500 {
			e.typ = "api_error"
		} else {
			e.typ = "invalid_request_error"
		}
		e.msg = http.StatusText(status)
		if e.msg == "" {
			e.msg = "HTTP " + strconv.Itoa(status)
		}
	}
	return e
}

// appendOpenAIError appends {"error":{"message","type","param","code"}}.
func appendOpenAIError(b []byte, e apiError) []byte {
	b = append(b, `{"error":{"message":`...)
	b = appendString(b, e.msg)
	b = append(b, `,"type":`...)
	if e.nullType {
		b = append(b, "null"...)
	} else {
		b = appendString(b, e.typ)
	}
	b = append(b, `,"param":`...)
	b = appendStringOrNull(b, e.param)
	b = append(b, `,"code":`...)
	b = appendStringOrNull(b, e.code)
	b = append(b, e.extra...)
	return append(b, `}}`...)
}

// appendAnthropicError appends {"type":"error","error":{"type","message"},"request_id"}.
func appendAnthropicError(b []byte, e apiError, requestID string) []byte {
	b = append(b, `{"type":"error","error":{"type":`...)
	b = appendString(b, e.typ)
	b = append(b, `,"message":`...)
	b = appendString(b, e.msg)
	b = append(b, `},"request_id":`...)
	b = appendString(b, requestID)
	return append(b, '}')
}

func appendStringOrNull(b []byte, s string) []byte {
	if s == "" {
		return append(b, "null"...)
	}
	return appendString(b, s)
}
