package llm

import (
	"fmt"

	"github.com/llmchaos/llmchaos/mocks/control"
)

// Surface is one provider API the mock serves, each on its own paths (Server's doc).
// One Server serves them all; a scenario's upstream kind says which one its app calls,
// and CheckFault which faults mean something there.
type Surface string

// The surfaces.
const (
	SurfaceOpenAI      Surface = "openai"       // Chat Completions and the Responses API
	SurfaceAnthropic   Surface = "anthropic"    // Messages
	SurfaceGemini      Surface = "gemini"       // generateContent, streamGenerateContent
	SurfaceAzureOpenAI Surface = "azure-openai" // Chat Completions on Azure's routes
	SurfaceBedrock     Surface = "bedrock"      // Converse, ConverseStream
)

// Surfaces lists the surfaces in the README's order.
func Surfaces() []Surface {
	return []Surface{SurfaceOpenAI, SurfaceAnthropic, SurfaceGemini, SurfaceAzureOpenAI, SurfaceBedrock}
}

// CheckFault reports whether f means something on surface s: nil when it does, else a
// *control.FieldError (on "type", or on the field that has no meaning) that names the
// surface and says why. Every protocol fault a Server plays maps to what the provider
// really sends (docs/mocks-llm.md has the table); what is refused here is what the
// provider's wire cannot show:
//
//   - gemini: tool-call-cut (Gemini sends each functionCall whole: no call is cut inside
//     its arguments), stall keepalive (Gemini sends no keepalive; google.golang.org/genai
//     fails on an SSE comment line), retry_after_as and should_retry (no Retry-After or
//     x-should-retry: the wait is a RetryInfo detail in the error body).
//   - bedrock: stall keepalive (the event stream has none), retry_after_as and
//     should_retry (the AWS SDKs read x-amz-retry-after in milliseconds, nothing else).
//   - azure-openai: insufficient-quota (Azure bills the subscription: it has no
//     insufficient_quota error; use quota, or status 429).
//
// Faults on openai and anthropic are never refused.
func CheckFault(s Surface, f control.Fault) error {
	refuse := func(field, why string) error {
		what := string(f.Type)
		if field != "type" {
			what = field + " on " + what
		}
		return &control.FieldError{Field: field, Msg: fmt.Sprintf("%s has no meaning on a %s upstream: %s", what, s, why)}
	}
	switch s {
	case SurfaceGemini:
		switch {
		case f.Type == control.TypeToolCallCut:
			return refuse("type", "Gemini sends each functionCall whole, so no call is cut inside it; use truncate to cut the stream")
		case f.Keepalive > 0:
			return refuse("keepalive", "Gemini's stream sends no keepalives (and google.golang.org/genai fails on an SSE comment line)")
		case f.RetryAfterAs != "":
			return refuse("retry_after_as", "Gemini sends no Retry-After header; retry_after goes in a RetryInfo detail of the error body")
		case f.ShouldRetry != nil:
			return refuse("should_retry", "x-should-retry is the OpenAI and Anthropic SDKs' header; Gemini sends none")
		}
	case SurfaceBedrock:
		switch {
		case f.Keepalive > 0:
			return refuse("keepalive", "Bedrock's event stream sends no keepalives")
		case f.RetryAfterAs != "":
			return refuse("retry_after_as", "Bedrock sends no Retry-After; retry_after goes out as x-amz-retry-after in milliseconds, which the AWS SDKs read")
		case f.ShouldRetry != nil:
			return refuse("should_retry", "x-should-retry is the OpenAI and Anthropic SDKs' header; the AWS SDKs decide by the exception")
		}
	case SurfaceAzureOpenAI:
		if f.Type == control.TypeInsufficientQuota {
			return refuse("type", "Azure bills the subscription and has no insufficient_quota error; use quota, or status 429")
		}
	}
	return nil
}
