package control

import (
	"errors"
	"fmt"
)

// Mode names one way a mock can misbehave. Each mock supports a subset and rejects the rest.
type Mode string

// The protocol fault modes. DESIGN.md's vocabulary; mocks/llm supports all but
// ModePartialSuccess, mocks/telemetry and mocks/store support ModeStatus, ModeHang and
// (telemetry only) ModePartialSuccess.
const (
	// ModeStatus answers Status with the provider's exact error body and the Retry-After
	// headers the fault asks for.
	ModeStatus Mode = "status"
	// ModeHang reads the request and never sends headers: until Hold passes (then 504),
	// or until the client goes away when Hold is 0.
	ModeHang Mode = "hang"
	// ModeStreamError sends 200, AfterChunks chunks, then an error event inside the stream
	// (OpenAI `data: {"error":...}`, Anthropic `event: error` overloaded_error) and closes.
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
)

// Fault is one protocol fault: what to do, and to which requests (the embedded Scope).
// Fields a mode does not use must be zero.
type Fault struct {
	Mode Mode `json:"mode"`
	Scope

	// Status is the HTTP status for ModeStatus (429, 500, 502, 503, 504, 529, ...).
	Status int `json:"status,omitempty"`
	// RetryAfter asks the client to wait: sent as Retry-After in whole seconds (rounded up),
	// or as an HTTP date when RetryAfterDate is set, and as retry-after-ms when RetryAfterMs is set.
	RetryAfter     Duration `json:"retry_after,omitempty"`
	RetryAfterDate bool     `json:"retry_after_date,omitempty"`
	RetryAfterMs   bool     `json:"retry_after_ms,omitempty"`
	// ShouldRetry, when set, sends x-should-retry: true or false.
	ShouldRetry *bool `json:"should_retry,omitempty"`
	// AfterChunks is how many content chunks go out before a stream fault strikes.
	AfterChunks int `json:"after_chunks,omitempty"`
	// Keepalive is the period of keepalive comments or pings during ModeStall; 0 sends none.
	Keepalive Duration `json:"keepalive,omitempty"`
	// TTFT and TokenDelay shape ModeSlow.
	TTFT       Duration `json:"ttft,omitempty"`
	TokenDelay Duration `json:"token_delay,omitempty"`
	// Hold bounds ModeHang; 0 hangs until the client leaves.
	Hold Duration `json:"hold,omitempty"`
	// RejectFraction is the share of items ModePartialSuccess rejects, in (0,1].
	RejectFraction float64 `json:"reject_fraction,omitempty"`
}

// ErrUnsupported is wrapped by a mock's SetFault for a mode that mock does not offer.
var ErrUnsupported = errors.New("fault mode not supported by this mock")

// Validate reports a fault that is malformed whatever the mock.
func (f Fault) Validate() error {
	if err := f.Scope.Validate(); err != nil {
		return err
	}
	switch f.Mode {
	case ModeStatus:
		if f.Status < 400 || f.Status > 599 {
			return fmt.Errorf("fault status: status %d is not an HTTP error (400-599)", f.Status)
		}
	case ModeHang, ModeStreamError, ModeTruncate, ModeStall, ModeMalformed, ModeNoUsage:
	case ModeSlow:
		if f.TTFT <= 0 && f.TokenDelay <= 0 {
			return fmt.Errorf("fault slow: set ttft or token_delay")
		}
	case ModePartialSuccess:
		if f.RejectFraction <= 0 || f.RejectFraction > 1 {
			return fmt.Errorf("fault partial-success: reject_fraction %v is outside (0,1]", f.RejectFraction)
		}
	case "":
		return fmt.Errorf("fault: mode is empty")
	default:
		return fmt.Errorf("fault: unknown mode %q", f.Mode)
	}
	if f.AfterChunks < 0 || f.RetryAfter < 0 || f.Keepalive < 0 || f.TTFT < 0 || f.TokenDelay < 0 || f.Hold < 0 {
		return fmt.Errorf("fault %s: negative count or duration", f.Mode)
	}
	return nil
}
