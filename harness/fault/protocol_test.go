package fault

import (
	"testing"
	"time"

	"github.com/llmchaos/llmchaos/mocks/control"
)

func TestFaultProtocolKinds(t *testing.T) {
	cases := []struct {
		f    *Protocol
		kind string
		str  string
	}{
		{Status(503), "status", "status 503"},
		{RateLimited(2 * time.Second), "rate-limit", "rate-limit 429 retry-after 2s"},
		{Overloaded(), "overloaded", "overloaded 529"},
		{PartialErrors(0.3, 503), "partial-errors", "partial-errors 503 on 30% of requests"},
		{Status(500, WithFirstN(3)), "partial-errors", "partial-errors 500 on the first 3 requests"},
		{StreamError(2), "stream-error", "stream-error after 2 chunks"},
		{Truncate(3), "truncate", "truncate after 3 chunks"},
		{Stall(time.Second), "stall", "stall keepalive 1s"},
		{Malformed(1), "malformed", "malformed after 1 chunks"},
		{SlowTokens(time.Second, 50*time.Millisecond), "slow-tokens", "slow-tokens ttft 1s, 50ms/token"},
		{NoUsage(), "no-usage", "no-usage"},
		{Hang(), "hang", "hang"},
		{Hang(WithHold(time.Second)), "hang", "hang for 1s"},
		{PartialSuccess(0.25), "partial-success", "partial-success rejects 25%"},
		{&Protocol{Fault: control.Fault{Type: control.TypeStatus, Status: 400}}, "status", "status 400"},
	}
	for _, c := range cases {
		if c.f.Kind() != c.kind || c.f.String() != c.str {
			t.Errorf("Kind, String = %q, %q; want %q, %q", c.f.Kind(), c.f.String(), c.kind, c.str)
		}
		if err := c.f.Fault.Validate(); err != nil {
			t.Errorf("%s: builds an invalid fault: %v", c.str, err)
		}
	}
	f := RateLimited(time.Second, WithRetryAfterMs(), WithShouldRetry(false), WithFraction(0.5), WithScopeSeed(9))
	if f.Fault.RetryAfterAs != control.RetryAfterMs || f.Fault.ShouldRetry == nil || *f.Fault.ShouldRetry || f.Fault.Fraction != 0.5 || f.Fault.Seed != 9 {
		t.Errorf("options not applied: %+v", f.Fault)
	}
	if f := RateLimited(time.Second, WithRetryAfterDate()); f.Fault.RetryAfterAs != control.RetryAfterDate {
		t.Errorf("WithRetryAfterDate not applied: %+v", f.Fault)
	}
}
