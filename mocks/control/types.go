package control

import (
	"fmt"
	"slices"
	"strings"
)

// FaultType is a fault's name in llmchaos's vocabulary: the same word in scenario YAML,
// in the admin API's JSON and in Go.
type FaultType string

// The protocol fault types: played by a mock (Types describes each).
const (
	TypeStatus         FaultType = "status"
	TypeRateLimit      FaultType = "rate-limit"
	TypeOverloaded     FaultType = "overloaded"
	TypePartialErrors  FaultType = "partial-errors"
	TypeStreamError    FaultType = "stream-error"
	TypeTruncate       FaultType = "truncate"
	TypeStall          FaultType = "stall"
	TypeMalformed      FaultType = "malformed"
	TypeSlowTokens     FaultType = "slow-tokens"
	TypeNoUsage        FaultType = "no-usage"
	TypeHang           FaultType = "hang"
	TypePartialSuccess FaultType = "partial-success"

	// The LLM semantic faults: what today's apps hit beyond outages.
	TypeToolCallCut        FaultType = "tool-call-cut"
	TypeResponseFailed     FaultType = "response-failed"
	TypeResponseIncomplete FaultType = "response-incomplete"
	TypeContextLength      FaultType = "context-length"
	TypeContentFilter      FaultType = "content-filter"
	TypeInsufficientQuota  FaultType = "insufficient-quota"
	TypeInvalidKey         FaultType = "invalid-key"
	TypeModelNotFound      FaultType = "model-not-found"
	TypeQuota              FaultType = "quota"
)

// The network fault types: played by the Toxiproxy proxy in front of a mock, never by
// the mock (harness/fault defines them and their fields). A mock refuses them by name.
const (
	TypeDown      FaultType = "down"
	TypeLatency   FaultType = "latency"
	TypeBlackhole FaultType = "blackhole"
	TypeReset     FaultType = "reset"
	TypeBandwidth FaultType = "bandwidth"
	TypeSlowClose FaultType = "slow-close"
	TypeSlicer    FaultType = "slicer"
	TypeLimitData FaultType = "limit-data"
)

// TypeInfo describes one protocol fault type.
type TypeInfo struct {
	Type FaultType
	// Mode is what the mock plays for it.
	Mode Mode
	// Status is the HTTP status the type always answers (rate-limit 429, overloaded
	// 529); 0 when the fault's own Status field says.
	Status int
	// Fields are the JSON and YAML field names it takes besides type; every type but
	// quota (a standing limit on every request) takes the scope fields fraction,
	// first_n and seed.
	Fields []string
	// Doc says in a line what a client sees.
	Doc string
}

// scopeFields are the fields every protocol type takes: which requests it hits.
var scopeFields = []string{"fraction", "first_n", "seed"}

// protocolTypes is the one table of protocol fault types. It is never modified.
var protocolTypes = []TypeInfo{
	{TypeStatus, ModeStatus, 0, withScope("status", "retry_after", "retry_after_as", "should_retry"), "an HTTP error with the provider's exact error body"},
	{TypeRateLimit, ModeStatus, 429, withScope("retry_after", "retry_after_as", "should_retry"), "429 rate_limit_error with Retry-After"},
	{TypeOverloaded, ModeStatus, 529, withScope("retry_after", "retry_after_as", "should_retry"), "529 overloaded_error"},
	{TypePartialErrors, ModeStatus, 0, withScope("status", "retry_after", "retry_after_as", "should_retry"), "an HTTP error on a share of requests (fraction or first_n), the rest served: an error rate"},
	{TypeStreamError, ModeStreamError, 0, withScope("after_chunks", "status"), "a 200 stream, then an error event inside it (status picks which error: Bedrock 429 throttlingException, 503 serviceUnavailableException; default the provider's stream failure)"},
	{TypeTruncate, ModeTruncate, 0, withScope("after_chunks"), "the stream closes cleanly halfway: no end marker, no [DONE]"},
	{TypeStall, ModeStall, 0, withScope("keepalive"), "the first token, then silence (or only keepalive comments / pings)"},
	{TypeMalformed, ModeMalformed, 0, withScope("after_chunks"), "a chunk that is not JSON"},
	{TypeSlowTokens, ModeSlow, 0, withScope("ttft", "token_delay"), "a slow first token, slow tokens"},
	{TypeNoUsage, ModeNoUsage, 0, withScope(), "no usage chunk even when stream_options.include_usage asked"},
	{TypeHang, ModeHang, 0, withScope("hold"), "no headers until the client gives up (or 504 after hold)"},
	{TypePartialSuccess, ModePartialSuccess, 0, withScope("reject_fraction"), "(collector) OTLP partial success: some items rejected"},
	{TypeToolCallCut, ModeToolCallCut, 0, withScope("cut_at"), "a tool call cut right after its name (cut_at: name) or inside its argument JSON (cut_at: arguments), the stream closed cleanly; text answers are served whole"},
	{TypeResponseFailed, ModeResponseFailed, 0, withScope("after_chunks"), "Responses API: response.failed after response.created (other surfaces: an in-stream error)"},
	{TypeResponseIncomplete, ModeResponseIncomplete, 0, withScope("after_chunks", "reason"), "the answer ends early, flagged: Responses response.incomplete (reason max_output_tokens or content_filter), Chat finish_reason length/content_filter, Anthropic stop_reason max_tokens/refusal"},
	{TypeContextLength, ModeProviderError, 0, withScope(), "400 context_length_exceeded (Anthropic: prompt is too long); a Responses stream reports it as an error event after response.created"},
	{TypeContentFilter, ModeContentFilter, 0, withScope("filtered", "after_chunks"), "OpenAI/Azure 400 code content_filter (filtered: prompt), or a stream ending with finish_reason content_filter (filtered: output); Anthropic stop_reason refusal"},
	{TypeInsufficientQuota, ModeProviderError, 0, withScope("should_retry"), "429 insufficient_quota, which must not be retried (Anthropic: 400 credit balance too low)"},
	{TypeInvalidKey, ModeProviderError, 0, withScope(), "401 invalid_api_key (Anthropic authentication_error)"},
	{TypeModelNotFound, ModeProviderError, 0, withScope(), "404 model_not_found (Anthropic not_found_error)"},
	{TypeQuota, ModeQuota, 0, []string{"requests_per_minute", "tokens_per_minute"}, "an account's rate limits: 429 with Retry-After once the requests or tokens of the minute are spent, rate-limit headers that count down"},
}

// networkTypes are the names a mock refuses as played by the proxy.
var networkTypes = []FaultType{TypeDown, TypeLatency, TypeBlackhole, TypeReset, TypeBandwidth, TypeSlowClose, TypeSlicer, TypeLimitData}

// withScope is fields and the scope fields.
func withScope(fields ...string) []string { return append(fields, scopeFields...) }

// Types returns the protocol fault types, in the README's order: the one definition of
// each type's name, mode, preset status and fields.
func Types() []TypeInfo {
	out := make([]TypeInfo, len(protocolTypes))
	for i, t := range protocolTypes {
		t.Fields = slices.Clone(t.Fields)
		out[i] = t
	}
	return out
}

// LookupType returns the protocol fault type called t.
func LookupType(t FaultType) (TypeInfo, bool) {
	info, ok := protocolType(t)
	if ok {
		info.Fields = slices.Clone(info.Fields)
	}
	return info, ok
}

// IsNetworkType reports whether t names a network fault (played by the proxy in front
// of a mock, not by the mock).
func IsNetworkType(t FaultType) bool { return slices.Contains(networkTypes, t) }

// NetworkTypes returns the network fault names a mock refuses (harness/fault defines them).
func NetworkTypes() []FaultType { return slices.Clone(networkTypes) }

func protocolType(t FaultType) (TypeInfo, bool) {
	for _, info := range protocolTypes {
		if info.Type == t {
			return info, true
		}
	}
	return TypeInfo{}, false
}

// lookupForMock returns t's entry, or a FieldError on "type" saying why a mock cannot play it.
func lookupForMock(t FaultType) (TypeInfo, error) {
	if info, ok := protocolType(t); ok {
		return info, nil
	}
	switch {
	case t == "":
		return TypeInfo{}, &FieldError{Field: "type", Msg: "missing: say which fault, e.g. \"type\": \"rate-limit\" (protocol types: " + protocolNames() + ")"}
	case IsNetworkType(t):
		return TypeInfo{}, &FieldError{Field: "type", Msg: fmt.Sprintf("%q is a network fault: the proxy (Toxiproxy) in front of the mock plays it, not the mock; put it in a scenario's timeline (protocol types a mock plays: %s)", t, protocolNames())}
	}
	return TypeInfo{}, &FieldError{Field: "type", Msg: fmt.Sprintf("unknown fault type %q (protocol types: %s)", t, protocolNames())}
}

func (t TypeInfo) takes(field string) bool { return slices.Contains(t.Fields, field) }

// notTaken is the message for a field t does not take.
func (t TypeInfo) notTaken(field string) string {
	return fmt.Sprintf("fault type %q does not take %s (it takes: %s)", t.Type, field, strings.Join(t.Fields, ", "))
}

func protocolNames() string {
	names := make([]string, len(protocolTypes))
	for i, t := range protocolTypes {
		names[i] = string(t.Type)
	}
	return strings.Join(names, ", ")
}

// FieldError is a problem with one field of a fault or a spec. Field is its path as YAML
// and JSON write it ("retry_after", "ramp.from", "request.protocol"; "" for the whole
// thing), so a loader can point at the line it came from.
type FieldError struct {
	Field string
	Msg   string
}

// Error reads "FIELD: MSG".
func (e *FieldError) Error() string {
	if e.Field == "" {
		return e.Msg
	}
	return e.Field + ": " + e.Msg
}
