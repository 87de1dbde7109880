package harness

import (
	"context"
	"fmt"
	"strings"

	"github.com/llmchaos/llmchaos/mocks/control"
)

// ProtocolFault is a fault the upstream's mock plays at the HTTP/stream level: an error status
// with the provider's error body, an error inside a stream, a cut or stalled stream, slow
// tokens, an error rate (Fault.Scope.Fraction) and so on. Apply sets it on the mock
// (Mock.SetFault); revert clears it (Mock.ClearFault). The constructors (Status,
// RateLimited, Overloaded, StreamError, ...) build the common ones.
type ProtocolFault struct {
	// Name overrides Kind; empty derives it from Fault (see Kind).
	Name  string
	Fault control.Fault
}

var _ Fault = (*ProtocolFault)(nil)

// Kind is the fault's type: the vocabulary word ("rate-limit", "stall", ...).
func (p *ProtocolFault) Kind() string {
	if p.Name != "" {
		return p.Name
	}
	return string(p.Fault.Type)
}

// String describes the fault with its parameters, like "rate-limit 429 retry-after 2s"
// or "partial-errors 503 on 30% of requests".
func (p *ProtocolFault) String() string {
	f := p.Fault
	var b strings.Builder
	b.WriteString(p.Kind())
	switch f.Mode() {
	case control.ModeStatus:
		fmt.Fprintf(&b, " %d", f.StatusCode())
	case control.ModeStreamError, control.ModeTruncate, control.ModeMalformed:
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

// Apply sets the fault on u's mock.
func (p *ProtocolFault) Apply(_ context.Context, u *Upstream) (func() error, error) {
	if u == nil || u.Mock == nil {
		return nil, fmt.Errorf("%s: upstream has no mock", p.Kind())
	}
	id, err := u.Mock.SetFault(p.Fault)
	if err != nil {
		return nil, fmt.Errorf("%s on %s (%s mock): %w", p.Kind(), u.Name, u.Kind, err)
	}
	// ClearFault is false only when something else (ClearFaults) cleared it already:
	// the fault is gone either way.
	return func() error { u.Mock.ClearFault(id); return nil }, nil
}
