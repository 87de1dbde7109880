package fault

import (
	"context"
	"fmt"
	"strings"

	"github.com/llmchaos/llmchaos/mocks/control"
)

// Protocol is a fault the upstream's mock plays at the HTTP/stream level: an error
// status with the provider's error body, an error inside a stream, a cut or stalled
// stream, slow tokens, an error rate (Fault.Scope.Fraction) and so on. Its types and
// fields are mocks/control's (control.Types). Apply sets it on the mock
// (MockControl.SetFault); revert clears it. The constructors (Status, RateLimited,
// Overloaded, StreamError, ...) build the common ones.
type Protocol struct {
	Fault control.Fault
}

var (
	_ Fault       = (*Protocol)(nil)
	_ Validator   = (*Protocol)(nil)
	_ MockPlayed  = (*Protocol)(nil)
	_ MockFaulter = (*Protocol)(nil)
)

// Kind is the fault's type: the vocabulary word ("rate-limit", "stall", ...).
func (p *Protocol) Kind() string { return string(p.Fault.Type) }

// Validate is the control.Fault's Validate.
func (p *Protocol) Validate() error { return p.Fault.Validate() }

// MockFaults is the fault itself.
func (p *Protocol) MockFaults() []control.Fault { return []control.Fault{p.Fault} }

// MockModes is the one mode the mock plays for it.
func (p *Protocol) MockModes() []control.Mode { return []control.Mode{p.Fault.Mode()} }

// String describes the fault with its parameters, like "rate-limit 429 retry-after 2s"
// or "partial-errors 503 on 30% of requests".
func (p *Protocol) String() string {
	f := p.Fault
	var b strings.Builder
	b.WriteString(p.Kind())
	switch f.Mode() {
	case control.ModeStatus:
		fmt.Fprintf(&b, " %d", f.StatusCode())
	case control.ModeStreamError, control.ModeTruncate, control.ModeMalformed:
		if f.Status != 0 {
			fmt.Fprintf(&b, " %d", f.Status)
		}
		fmt.Fprintf(&b, " after %d chunks", f.AfterChunks)
	case control.ModeStall:
		if f.Keepalive > 0 {
			fmt.Fprintf(&b, " keepalive %v", f.Keepalive.D())
		}
	case control.ModeSlow:
		fmt.Fprintf(&b, " ttft %v, %v/token", f.TTFT.D(), f.TokenDelay.D())
	case control.ModeHang:
		if f.Hold > 0 {
			fmt.Fprintf(&b, " for %v", f.Hold.D())
		}
	case control.ModePartialSuccess:
		fmt.Fprintf(&b, " rejects %g%%", f.RejectFraction*100)
	case control.ModeToolCallCut:
		fmt.Fprintf(&b, " at the %s", or(string(f.CutAt), string(control.CutAtArguments)))
	case control.ModeResponseFailed:
		fmt.Fprintf(&b, " after %d chunks", f.AfterChunks)
	case control.ModeResponseIncomplete:
		fmt.Fprintf(&b, " (%s) after %d chunks", or(string(f.Reason), string(control.ReasonMaxOutputTokens)), f.AfterChunks)
	case control.ModeContentFilter:
		fmt.Fprintf(&b, " on the %s", or(string(f.Filtered), string(control.FilterPrompt)))
	case control.ModeQuota:
		fmt.Fprintf(&b, " %d requests and %d tokens per minute", f.RequestsPerMinute, f.TokensPerMinute)
	}
	if f.RetryAfter > 0 {
		fmt.Fprintf(&b, " retry-after %v", f.RetryAfter.D())
	}
	switch {
	case f.Fraction > 0:
		fmt.Fprintf(&b, " on %g%% of requests", f.Fraction*100)
	case f.FirstN > 0:
		fmt.Fprintf(&b, " on the first %d requests", f.FirstN)
	}
	return b.String()
}

// Apply sets the fault on t's mock.
func (p *Protocol) Apply(_ context.Context, t *Target) (func() error, error) {
	if t == nil || t.Mock == nil {
		return nil, fmt.Errorf("%s: the upstream has no mock (protocol faults need one)", p.Kind())
	}
	id, err := t.Mock.SetFault(p.Fault)
	if err != nil {
		return nil, fmt.Errorf("%s on %s (%s mock): %w", p.Kind(), t.Name, t.Kind, err)
	}
	if r, ok := t.Mock.(MockRemover); ok {
		return func() error {
			if err := r.RemoveFault(id); err != nil {
				return fmt.Errorf("clear %s on %s: %w", p.Kind(), t.Name, err)
			}
			return nil
		}, nil
	}
	// ClearFault is false only when something else (ClearFaults) cleared it already:
	// the fault is gone either way.
	return func() error { t.Mock.ClearFault(id); return nil }, nil
}

// or is s, or def when s is empty.
func or(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
