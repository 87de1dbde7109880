package control

import (
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
)

// Mode names one way a mock can misbehave: what it plays for a fault. A fault's Mode
// follows from its Type (see Types); each mock supports a subset of modes and rejects
// the rest.
type Mode string

// The protocol fault modes. mocks/llm supports all but ModePartialSuccess,
// mocks/telemetry and mocks/store support ModeStatus, ModeHang and (telemetry only)
// ModePartialSuccess.
const (
	// ModeStatus answers Status with the provider's exact error body and the Retry-After
	// headers the fault asks for.
	ModeStatus Mode = "status"
	// ModeHang reads the request and never sends headers: until Hold passes (then 504),
	// or until the client goes away when Hold is 0.
	ModeHang Mode = "hang"
	// ModeStreamError sends 200, AfterChunks chunks, then an error event inside the stream
	// (OpenAI `data: {"error":...}`, Anthropic `event: error` overloaded_error, Gemini
	// `data: {"error":...}`, Bedrock an exception message) and closes. Status, when set,
	// picks the error the event carries (the provider's error for that status: Bedrock
	// 429 throttlingException); 0 is the provider's stream failure.
	ModeStreamError Mode = "stream-error"
	// ModeTruncate sends AfterChunks chunks and closes cleanly: no end marker, no [DONE].
	ModeTruncate Mode = "truncate"
	// ModeStall sends the first token then nothing, keeping the connection open until the
	// client leaves; with Keepalive > 0 it sends SSE comments (OpenAI) or ping events
	// (Anthropic) at that period.
	ModeStall Mode = "stall"
	// ModeMalformed sends AfterChunks good chunks, then a chunk that is not valid JSON.
	ModeMalformed Mode = "malformed"
	// ModeSlow answers with TTFT before the first token and TokenDelay between tokens.
	ModeSlow Mode = "slow"
	// ModeNoUsage leaves out the usage chunk even when stream_options.include_usage asked for it.
	ModeNoUsage Mode = "no-usage"
	// ModePartialSuccess (telemetry) accepts the export but rejects RejectFraction of its
	// items in the OTLP partial_success field.
	ModePartialSuccess Mode = "partial-success"
	// ModeToolCallCut cuts a tool call where CutAt says: right after its name, or halfway
	// through its argument JSON; the stream then closes cleanly (no end, no [DONE]).
	ModeToolCallCut Mode = "tool-call-cut"
	// ModeResponseFailed ends a Responses API stream with response.failed after
	// AfterChunks chunks (a non-stream answer is a Response with status failed).
	ModeResponseFailed Mode = "response-failed"
	// ModeResponseIncomplete ends the answer early after AfterChunks chunks and says so:
	// status incomplete with Reason (Responses), finish_reason length or content_filter
	// (Chat Completions), stop_reason max_tokens or refusal (Anthropic).
	ModeResponseIncomplete Mode = "response-incomplete"
	// ModeContentFilter refuses the prompt (Filtered: prompt, the provider's 400) or ends
	// the output after AfterChunks chunks as filtered (Filtered: output).
	ModeContentFilter Mode = "content-filter"
	// ModeProviderError answers the provider's semantic error for the fault's Type
	// (context length, insufficient quota, invalid key, model not found).
	ModeProviderError Mode = "provider-error"
	// ModeQuota enforces an account's requests and tokens per minute: past them the mock
	// answers 429 with Retry-After, and its rate-limit headers count down to 0.
	ModeQuota Mode = "quota"
)

// CutAt is where a tool-call-cut fault cuts the tool call (the cut_at field).
type CutAt string

// The cut points. The zero value is CutAtArguments.
const (
	// CutAtName cuts right after the tool call's name: no argument is sent.
	CutAtName CutAt = "name"
	// CutAtArguments cuts inside the argument JSON, halfway through it.
	CutAtArguments CutAt = "arguments"
)

// IncompleteReason is why a response-incomplete fault says the answer ended early (the
// reason field).
type IncompleteReason string

// The reasons. The zero value is ReasonMaxOutputTokens.
const (
	ReasonMaxOutputTokens IncompleteReason = "max_output_tokens"
	ReasonContentFilter   IncompleteReason = "content_filter"
)

// FilterStage is what a content-filter fault filters (the filtered field).
type FilterStage string

// The stages. The zero value is FilterPrompt.
const (
	// FilterPrompt refuses the request with the provider's 400 (Anthropic: a refusal).
	FilterPrompt FilterStage = "prompt"
	// FilterOutput starts the answer and ends it as filtered, inside the stream.
	FilterOutput FilterStage = "output"
)

// RetryAfterFormat is how a fault writes its RetryAfter (the retry_after_as field).
type RetryAfterFormat string

// The Retry-After formats. The zero value is RetryAfterSeconds.
const (
	// RetryAfterSeconds sends Retry-After in whole seconds, rounded up.
	RetryAfterSeconds RetryAfterFormat = "seconds"
	// RetryAfterDate sends Retry-After as an HTTP date (rounded up to the next second).
	RetryAfterDate RetryAfterFormat = "date"
	// RetryAfterMs sends Retry-After in seconds and retry-after-ms, as OpenAI does.
	RetryAfterMs RetryAfterFormat = "ms"
)

// Fault is one protocol fault: its Type (the vocabulary word), the fields that type
// takes (see Types), and to which requests it applies (the embedded Scope). It is
// written the same way in Go, in the admin API's JSON and in scenario YAML:
//
//	{"type": "rate-limit", "retry_after": "2s", "retry_after_as": "ms", "fraction": 0.3}
//
// Fields the type does not take must be zero (Validate says which one is not).
type Fault struct {
	Type FaultType `json:"type"`
	Scope

	// Status is the HTTP status of a status or partial-errors fault (400-599). The
	// rate-limit (429) and overloaded (529) types carry their own; see StatusCode. On a
	// stream-error fault it picks the in-stream error (0: the provider's default).
	Status int `json:"status,omitempty"`
	// RetryAfter asks the client to wait, written as RetryAfterAs says.
	RetryAfter   Duration         `json:"retry_after,omitempty"`
	RetryAfterAs RetryAfterFormat `json:"retry_after_as,omitempty"`
	// ShouldRetry, when set, sends x-should-retry: true or false.
	ShouldRetry *bool `json:"should_retry,omitempty"`
	// AfterChunks is how many content chunks go out before a stream fault strikes.
	AfterChunks int `json:"after_chunks,omitempty"`
	// Keepalive is the period of keepalive comments or pings during a stall; 0 sends none.
	Keepalive Duration `json:"keepalive,omitempty"`
	// TTFT and TokenDelay shape slow-tokens.
	TTFT       Duration `json:"ttft,omitempty"`
	TokenDelay Duration `json:"token_delay,omitempty"`
	// Hold bounds a hang; 0 hangs until the client leaves.
	Hold Duration `json:"hold,omitempty"`
	// RejectFraction is the share of items partial-success rejects, in (0,1].
	RejectFraction float64 `json:"reject_fraction,omitempty"`
	// CutAt is where tool-call-cut cuts (default arguments).
	CutAt CutAt `json:"cut_at,omitempty"`
	// Reason is why response-incomplete ended the answer (default max_output_tokens).
	Reason IncompleteReason `json:"reason,omitempty"`
	// Filtered is what content-filter filters (default prompt).
	Filtered FilterStage `json:"filtered,omitempty"`
	// RequestsPerMinute and TokensPerMinute are a quota's limits (0: that one is not
	// limited; at least one is set).
	RequestsPerMinute int `json:"requests_per_minute,omitempty"`
	TokensPerMinute   int `json:"tokens_per_minute,omitempty"`
}

// ErrUnsupported is wrapped by a mock's SetFault for a fault whose mode that mock does not play.
var ErrUnsupported = errors.New("fault mode not supported by this mock")

// Mode is the mode the mock plays for f's Type; "" when the type is not a protocol type.
func (f Fault) Mode() Mode {
	if f.Type == "" {
		return ""
	}
	if t, ok := protocolType(f.Type); ok {
		return t.Mode
	}
	return ""
}

// StatusCode is the HTTP status f answers with: its type's preset (rate-limit 429,
// overloaded 529) or, for status and partial-errors, f.Status.
func (f Fault) StatusCode() int {
	if t, ok := protocolType(f.Type); ok && t.Status != 0 {
		return t.Status
	}
	return f.Status
}

// Validate reports a fault that is malformed whatever the mock: an unknown type (or a
// network one, which a mock cannot play), a field its type does not take, or a bad
// value. The error is a *FieldError naming the field.
func (f Fault) Validate() error {
	t, err := lookupForMock(f.Type)
	if err != nil {
		return err
	}
	if name := f.fieldNotTaken(t); name != "" {
		return &FieldError{Field: name, Msg: t.notTaken(name)}
	}
	if err := f.Scope.Validate(); err != nil {
		return err
	}
	return f.checkValues(t)
}

// checkValues checks the values of the fields t takes.
func (f Fault) checkValues(t TypeInfo) error {
	switch {
	case t.Status == 0 && t.Mode == ModeStatus && (f.Status < 400 || f.Status > 599),
		t.Mode == ModeStreamError && f.Status != 0 && (f.Status < 400 || f.Status > 599):
		return &FieldError{Field: "status", Msg: fmt.Sprintf("%d is not an HTTP error status (400-599)", f.Status)}
	case f.Type == TypePartialErrors && f.Fraction == 0 && f.FirstN == 0:
		return &FieldError{Field: "fraction", Msg: "partial-errors hits a share of requests: set fraction (or first_n)"}
	case f.Type == TypeSlowTokens && f.TTFT <= 0 && f.TokenDelay <= 0:
		return &FieldError{Field: "ttft", Msg: "slow-tokens needs ttft or token_delay"}
	case f.Type == TypePartialSuccess && (f.RejectFraction <= 0 || f.RejectFraction > 1):
		return &FieldError{Field: "reject_fraction", Msg: fmt.Sprintf("%v is outside (0,1]", f.RejectFraction)}
	}
	if err := f.checkChoices(); err != nil {
		return err
	}
	if err := f.checkQuota(t); err != nil {
		return err
	}
	if f.AfterChunks < 0 {
		return &FieldError{Field: "after_chunks", Msg: fmt.Sprintf("%d is negative", f.AfterChunks)}
	}
	for _, d := range []struct {
		field string
		v     Duration
	}{{"retry_after", f.RetryAfter}, {"keepalive", f.Keepalive}, {"ttft", f.TTFT}, {"token_delay", f.TokenDelay}, {"hold", f.Hold}} {
		if d.v < 0 {
			return &FieldError{Field: d.field, Msg: fmt.Sprintf("%v is negative", d.v.D())}
		}
	}
	return nil
}

// checkChoices checks the fields whose value is one of a few words.
func (f Fault) checkChoices() error {
	for _, c := range []struct {
		field, value string
		allowed      []string
	}{
		{"retry_after_as", string(f.RetryAfterAs), []string{string(RetryAfterSeconds), string(RetryAfterDate), string(RetryAfterMs)}},
		{"cut_at", string(f.CutAt), []string{string(CutAtName), string(CutAtArguments)}},
		{"reason", string(f.Reason), []string{string(ReasonMaxOutputTokens), string(ReasonContentFilter)}},
		{"filtered", string(f.Filtered), []string{string(FilterPrompt), string(FilterOutput)}},
	} {
		if c.value != "" && !slices.Contains(c.allowed, c.value) {
			last := len(c.allowed) - 1
			return &FieldError{Field: c.field, Msg: fmt.Sprintf("%q: want %s or %s", c.value, strings.Join(c.allowed[:last], ", "), c.allowed[last])}
		}
	}
	return nil
}

// checkQuota checks a quota's limits.
func (f Fault) checkQuota(t TypeInfo) error {
	switch {
	case f.RequestsPerMinute < 0:
		return &FieldError{Field: "requests_per_minute", Msg: fmt.Sprintf("%d is negative", f.RequestsPerMinute)}
	case f.TokensPerMinute < 0:
		return &FieldError{Field: "tokens_per_minute", Msg: fmt.Sprintf("%d is negative", f.TokensPerMinute)}
	case t.Type == TypeQuota && f.RequestsPerMinute == 0 && f.TokensPerMinute == 0:
		return &FieldError{Field: "requests_per_minute", Msg: "a quota limits something: set requests_per_minute, tokens_per_minute or both"}
	}
	return nil
}

// fieldNotTaken names the first non-zero field of f that t does not take, "" if none.
func (f Fault) fieldNotTaken(t TypeInfo) string {
	values := f.fieldValues()
	for _, name := range faultFieldNames() {
		if name != "type" && !t.takes(name) && !values[name].IsZero() {
			return name
		}
	}
	return ""
}

// fieldValues maps Fault's JSON field names (the embedded Scope's included) to f's
// fields, settable.
func (f *Fault) fieldValues() map[string]reflect.Value {
	out := map[string]reflect.Value{}
	var walk func(v reflect.Value)
	walk = func(v reflect.Value) {
		for i := 0; i < v.NumField(); i++ {
			if v.Type().Field(i).Anonymous {
				walk(v.Field(i))
				continue
			}
			out[jsonName(v.Type().Field(i))] = v.Field(i)
		}
	}
	walk(reflect.ValueOf(f).Elem())
	return out
}

// faultFieldNames lists Fault's JSON field names in declaration order, type first.
func faultFieldNames() []string {
	var out []string
	var walk func(t reflect.Type)
	walk = func(t reflect.Type) {
		for i := 0; i < t.NumField(); i++ {
			sf := t.Field(i)
			if sf.Anonymous {
				walk(sf.Type)
				continue
			}
			out = append(out, jsonName(sf))
		}
	}
	walk(reflect.TypeFor[Fault]())
	return out
}

func jsonName(sf reflect.StructField) string {
	name, _, _ := strings.Cut(sf.Tag.Get("json"), ",")
	return name
}
