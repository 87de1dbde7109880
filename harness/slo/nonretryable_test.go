package slo_test

import (
	"strings"
	"testing"
	"time"

	"github.com/llmchaos/llmchaos/harness"
	"github.com/llmchaos/llmchaos/harness/load"
	"github.com/llmchaos/llmchaos/harness/slo"
	"github.com/llmchaos/llmchaos/mocks/control"
)

// nonRetryableRun is a run of four requests, journalled as described in the test.
func nonRetryableRun(start time.Time) *harness.Result {
	at := func(ms int) time.Time { return start.Add(time.Duration(ms) * time.Millisecond) }
	att := func(id string, ms, status int, nonRetryable, followUp bool) control.Attempt {
		return control.Attempt{CorrelationID: id, Arrived: at(ms), Duration: time.Millisecond, Status: status, NonRetryable: nonRetryable, FollowUp: followUp}
	}
	sample := func(id string, seq, ms, turns, calls int) load.Sample {
		return load.Sample{Seq: seq, ID: id, Phase: "p", Scheduled: at(ms), Status: 200,
			Outcome: load.OutcomeOK, ServedBy: "secondary", Turns: uint8(turns), ToolCalls: uint8(calls)}.WithTimes(at(ms), time.Time{}, at(ms+50))
	}
	return &harness.Result{
		Scenario: "non-retryable", Start: start, End: at(1000), Interval: 100 * time.Millisecond,
		Kinds:   map[string]harness.UpstreamKind{"primary": harness.KindOpenAI, "secondary": harness.KindAnthropic},
		Phases:  []harness.PhaseSpan{{Name: "p", Start: start, End: at(1000)}},
		Samples: []load.Sample{sample("a", 0, 0, 1, 0), sample("b", 1, 100, 1, 0), sample("c", 2, 200, 2, 1), sample("d", 3, 300, 1, 0)},
		Journals: map[string][]control.Attempt{
			"primary": {
				// a: a 401, then retried twice on the same upstream: 2 counted
				att("a", 1, 401, true, false), att("a", 10, 401, true, false), att("a", 20, 200, false, false),
				// b: a 400 context length, then failed over (below): not counted
				att("b", 101, 400, true, false),
				// c: a tool call, then its follow-up: two turns, no refusal
				att("c", 201, 200, false, false), att("c", 230, 200, false, true),
				// d: a retryable 429, retried: not counted here
				att("d", 301, 429, false, false), att("d", 320, 200, false, false),
			},
			"secondary": {att("b", 110, 200, false, false)},
		},
	}
}

func TestNonRetryableRetries(t *testing.T) {
	start := time.Date(2026, 11, 29, 12, 0, 0, 0, time.UTC)
	m := slo.Compute(nonRetryableRun(start))
	if m.NonRetryableRetries != 2 || len(m.NonRetryable) != 2 {
		t.Fatalf("non_retryable_retries = %d (%+v), want 2", m.NonRetryableRetries, m.NonRetryable)
	}
	r := m.NonRetryable[0]
	if r.Upstream != "primary" || r.ID != "a" || r.Status != 401 || r.At != 10*time.Millisecond || r.After != 2*time.Millisecond {
		t.Fatalf("first retry %+v", r)
	}
	// the tool-calling sample sent two requests: 5 attempts for the 5 requests sent
	// (a: 3, b: 2 on two upstreams, c: 2, d: 2 = 9 attempts for 1+1+2+1 = 5 sent)
	if m.Run.Sent != 5 || m.Run.Attempts != 9 || m.Run.ToolCallTurns != 1 {
		t.Fatalf("sent %d attempts %d tool-call turns %d", m.Run.Sent, m.Run.Attempts, m.Run.ToolCallTurns)
	}
	v, err := slo.EvaluateStrings(nonRetryableRun(start), []string{"non_retryable_retries == 0"})
	if err != nil {
		t.Fatal(err)
	}
	c := v.Checks[0]
	if c.Pass || c.Observed != "2" || !strings.Contains(c.Reason, "primary a retried at") {
		t.Fatalf("check %+v", c)
	}
	// the negative control: the same run without the two retries passes
	clean := nonRetryableRun(start)
	clean.Journals["primary"] = append(clean.Journals["primary"][:1], clean.Journals["primary"][3:]...)
	if v, _ := slo.EvaluateStrings(clean, []string{"non_retryable_retries == 0"}); !v.Checks[0].Pass {
		t.Fatalf("a run without retries of non-retryable answers fails: %+v", v.Checks[0])
	}
}
