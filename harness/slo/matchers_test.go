package slo_test

import (
	"strings"
	"testing"
	"time"

	. "github.com/onsi/gomega"

	"github.com/llmchaos/llmchaos/harness"
	"github.com/llmchaos/llmchaos/harness/slo"
	"github.com/llmchaos/llmchaos/harness/slo/slotest"
)

func TestMatchersPass(t *testing.T) {
	g := NewWithT(t)
	r := slotest.Simulate(outageOf("status", 50*time.Millisecond, slotest.App{FailoverDelay: 500 * time.Millisecond, FailbackDelay: time.Second, Retries: 1, RetryAfter: 20 * time.Millisecond}))
	g.Expect(r).To(slo.FailOverWithin(time.Second))
	g.Expect(*r).To(slo.FailOverWithin(time.Second))
	g.Expect(r).NotTo(slo.FailOverWithin(100 * time.Millisecond))
	g.Expect(r).To(slo.FailBackWithin(1500 * time.Millisecond))
	g.Expect(r).NotTo(slo.FailBackWithin(500 * time.Millisecond))
	g.Expect(r).To(slo.HaveAvailability("steady", 1))
	g.Expect(r).To(slo.HaveAvailability("", 0.95))
	g.Expect(r).NotTo(slo.HaveAvailability("outage", 0.95))
	g.Expect(r).To(slo.HaveLatencyPercentile(99, "outage", 100*time.Millisecond))
	g.Expect(r).To(slo.HaveLatencyPercentile(12.5, "", 100*time.Millisecond))
	g.Expect(r).NotTo(slo.HaveLatencyPercentile(99, "steady", 10*time.Millisecond))
	g.Expect(r).To(slo.HaveAmplificationAtMost(2))
	g.Expect(r).NotTo(slo.HaveAmplificationAtMost(1.5))
	g.Expect(r).To(slo.HonourRetryAfter())
	g.Expect(r).To(slo.MeetSLOs("ttf <= 1s", "availability(steady) >= 99%", "amplification(recovery) == 2"))
	g.Expect(r).NotTo(slo.MeetSLOs("ttf <= 1s", "failback <= 100ms"))
	g.Expect(r).To(slo.FailBackWithin(1100 * time.Millisecond).WithOptions(slo.WithPrimary("primary")))
	g.Expect(r).NotTo(slo.FailBackWithin(10 * time.Second).WithOptions(slo.WithFailbackWindow(5 * time.Second)))
	ignoring := slotest.Simulate(outage(50*time.Millisecond, slotest.App{Retries: 1, RetryAfter: time.Second, IgnoreRetryAfter: true}))
	g.Expect(ignoring).NotTo(slo.HonourRetryAfter())
	g.Expect(ignoring).To(slo.HonourRetryAfter().WithOptions(slo.WithRetryAfterTolerance(time.Second)))
}

func TestMatcherFailureMessagesShowTheTimeline(t *testing.T) {
	r := slotest.Simulate(outageOf("status", 50*time.Millisecond, slotest.App{FailoverDelay: 2500 * time.Millisecond, NeverFailsBack: true}))
	cases := []struct {
		m    *slo.SLOMatcher
		want []string
	}{
		{slo.FailOverWithin(2 * time.Second), []string{
			`Expected the run of scenario "dropout" to fail over within 2.00s, but:`,
			"✗ ttf <= 2s (observed 2.51s): fault status on primary 2.00s–8.00s; failures 2.00s–4.45s (50 samples); settled at 4.51s",
		}},
		{slo.FailBackWithin(5 * time.Second), []string{"to fail back within 5.00s", "(observed never)", "never held ≥90% up to 12.00s"}},
		{slo.HaveAvailability("outage", 0.9), []string{"to have availability in outage >= 0.9", "0.5833 (70/120)", "50 samples failed (http_error 50), scheduled 2.00s–4.45s"}},
		{slo.HaveLatencyPercentile(99, "outage", time.Millisecond), []string{"to have p99 latency in outage <= 1ms", "slowest: #"}},
		{slo.HaveAmplificationAtMost(0.5), []string{"amplification <= 0.5 (observed 1)", "240 LLM attempts for 240 requests sent (primary 90, secondary 150)"}},
		{slo.MeetSLOs("ttf <= 3s", "max_error_burst <= 10"), []string{"to meet its SLOs [ttf <= 3s; max_error_burst <= 10]", "✗ max_error_burst <= 10 (observed 50): max_error_burst 50, want <= 10; longest error burst 50 samples from 2.00s"}},
	}
	for _, c := range cases {
		ok, err := c.m.Match(r)
		if err != nil || ok {
			t.Fatalf("%T: Match = %v, %v; want a plain mismatch", c.m, ok, err)
		}
		msg := c.m.FailureMessage(r)
		for _, w := range c.want {
			if !strings.Contains(msg, w) {
				t.Errorf("failure message\n%s\nwant it to contain\n%s", msg, w)
			}
		}
		if strings.Contains(msg, "✗ ttf <= 3s") {
			t.Errorf("a passing check is listed as breached:\n%s", msg)
		}
	}
	m := slo.FailOverWithin(3 * time.Second)
	if ok, err := m.Match(r); !ok || err != nil {
		t.Fatalf("Match = %v, %v", ok, err)
	}
	neg := m.NegatedFailureMessage(r)
	if !strings.Contains(neg, "not to fail over within 3.00s") || !strings.Contains(neg, "✓ ttf <= 3s (observed 2.51s)") || !strings.Contains(neg, "settled at 4.51s") {
		t.Errorf("negated message:\n%s", neg)
	}
	if !m.Verdict().Pass || m.Verdict().Metrics.TTF.Value != 2511*time.Millisecond {
		t.Errorf("verdict = %+v", m.Verdict())
	}
}

func TestMatcherMisuse(t *testing.T) {
	r := slotest.Simulate(outage(50*time.Millisecond, slotest.App{}))
	var nilResult *harness.Result
	cases := []struct {
		m      *slo.SLOMatcher
		actual any
		want   string
	}{
		{slo.FailOverWithin(time.Second), "a string", "fail over within 1.00s expects a *harness.Result, got string"},
		{slo.HonourRetryAfter(), nilResult, "actual is a nil *harness.Result"},
		{slo.HaveAvailability("outage", 0.9), slo.Verdict{}, "expects a *harness.Result, got slo.Verdict"},
		{slo.MeetSLOs("ttf <= 2", "availability >= 0.9"), r, "ttf is a duration"},
		{slo.MeetSLOs(), r, "no SLO to check"},
		{slo.HaveLatencyPercentile(0, "", time.Second), r, "percentile 0 is out of range"},
		{slo.HaveLatencyPercentile(101, "", time.Second), r, "percentile 101 is out of range"},
	}
	for _, c := range cases {
		ok, err := c.m.Match(c.actual)
		if ok || err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Match(%T) = %v, %v; want error containing %q", c.actual, ok, err, c.want)
		}
	}
	// An unknown phase is not misuse of the matcher: it fails with the phases listed.
	m := slo.HaveAvailability("outtage", 0.9)
	if ok, err := m.Match(r); ok || err != nil {
		t.Fatalf("Match = %v, %v", ok, err)
	}
	if msg := m.FailureMessage(r); !strings.Contains(msg, `unknown phase "outtage"; the run's phases are: steady, outage, recovery`) {
		t.Errorf("message:\n%s", msg)
	}
}
