package llm

import (
	"net/http"
	"strconv"

	"github.com/llmchaos/llmchaos/mocks/control"
)

// bedrockStatusError is the exception Bedrock answers a status with (apiError.typ is
// its name, as x-amzn-ErrorType gives it). An overload (529, the overloaded fault) is
// Bedrock's 503 ServiceUnavailableException: Bedrock has no 529.
func bedrockStatusError(status int) apiError {
	e := apiError{status: status}
	switch status {
	case http.StatusBadRequest:
		e.typ, e.msg = "ValidationException", "The input fails to satisfy the constraints specified by Amazon Bedrock."
	case http.StatusForbidden:
		e.typ, e.msg = "AccessDeniedException", "You don't have access to the model with the specified model ID."
	case http.StatusNotFound:
		e.typ, e.msg = "ResourceNotFoundException", "The specified resource ARN was not found."
	case http.StatusRequestTimeout:
		e.typ, e.msg = "ModelTimeoutException", "Model has timed out in processing the request. Try your request again."
	case http.StatusConflict:
		e.typ, e.msg = "ConflictException", "Error occurred because of a conflict while performing an operation."
	case http.StatusFailedDependency:
		e.typ, e.msg = "ModelErrorException", "The request failed due to an error while processing the model."
	case http.StatusTooManyRequests:
		e.typ, e.msg = "ThrottlingException", "Too many requests, please wait before trying again."
	case http.StatusInternalServerError:
		e.typ, e.msg = "InternalServerException", "The system encountered an unexpected error during processing. Try your request again."
	case http.StatusServiceUnavailable, 529:
		e.status, e.typ, e.msg = http.StatusServiceUnavailable, "ServiceUnavailableException", "Bedrock is unable to process your request."
	default:
		e.typ, e.msg = "ValidationException", http.StatusText(status)
		if status >= 500 {
			e.typ = "InternalServerException"
		}
		if e.msg == "" {
			e.msg = "HTTP " + strconv.Itoa(status)
		}
	}
	return e
}

// bedrockStreamException is the ConverseStream exception member e goes out as inside a
// stream, and whether it carries originalStatusCode (modelStreamErrorException, for an
// error the stream's union has no member of its own for).
func bedrockStreamException(e apiError) (string, bool) {
	switch e.typ {
	case "ThrottlingException":
		return "throttlingException", false
	case "ServiceUnavailableException":
		return "serviceUnavailableException", false
	case "InternalServerException":
		return "internalServerException", false
	case "ValidationException":
		return "validationException", false
	case "ModelStreamErrorException":
		return "modelStreamErrorException", false
	}
	return "modelStreamErrorException", true
}

// bedrockProviderError is Bedrock's semantic error for t. A content filter has no error
// (status 0): the answer ends with stopReason content_filtered instead.
func bedrockProviderError(t control.FaultType, ec errorContext) apiError {
	switch t {
	case control.TypeContextLength:
		return apiError{status: 400, typ: "ValidationException", msg: "Input is too long for requested model."}
	case control.TypeContentFilter:
		return apiError{}
	case control.TypeInsufficientQuota:
		return apiError{status: 400, typ: "ServiceQuotaExceededException", noRetry: true,
			msg: "Your request exceeds the service quota for your account. You can view your quotas at Viewing service quotas. You can resubmit your request later."}
	case control.TypeInvalidKey:
		return apiError{status: 403, typ: "UnrecognizedClientException", msg: "The security token included in the request is invalid."}
	case control.TypeModelNotFound:
		return apiError{status: 400, typ: "ValidationException", msg: "The provided model identifier is invalid."}
	case control.TypeQuota:
		msg := "Too many requests, please wait before trying again."
		if ec.admission.Refused == "tokens" {
			msg = "Too many tokens, please wait before trying again."
		}
		return apiError{status: 429, typ: "ThrottlingException", msg: msg}
	}
	return bedrockStatusError(http.StatusBadRequest)
}
