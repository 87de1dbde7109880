package slo_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/llmchaos/llmchaos/harness"
	"github.com/llmchaos/llmchaos/harness/load"
	"github.com/llmchaos/llmchaos/harness/slo"
)

func TestSilentTruncationsCountsOnlyClaimedCompleteCuts(t *testing.T) {
	start := time.Unix(1000, 0)
	r := &harness.Result{Scenario: "cut", Start: start, End: start.Add(2 * time.Second), Interval: 100 * time.Millisecond,
		Phases: []harness.PhaseSpan{{Name: "steady", Start: start, End: start.Add(2 * time.Second)}}}
	outcomes := []load.Outcome{load.OutcomeOK, load.OutcomeTruncated, load.OutcomeIncomplete, load.OutcomeHTTPError, load.OutcomeTruncated}
	for i, o := range outcomes {
		at := start.Add(time.Duration(i) * 100 * time.Millisecond)
		r.Samples = append(r.Samples, load.Sample{Seq: i, ID: fmt.Sprintf("c-%d", i), Phase: "steady", Scheduled: at, Status: 200, Outcome: o, Error: "cut short"}.WithTimes(at, time.Time{}, at.Add(10*time.Millisecond)))
	}
	v, err := slo.EvaluateStrings(r, []string{"silent_truncations == 0", "silent_truncations(steady) <= 2"})
	if err != nil {
		t.Fatal(err)
	}
	if v.Checks[0].Pass || v.Checks[0].Value != 2 || !strings.Contains(v.Checks[0].Reason, "c-1") {
		t.Fatalf("want 2 silent truncations naming c-1, got %+v", v.Checks[0])
	}
	if !v.Checks[1].Pass {
		t.Fatalf("2 <= 2 should pass: %+v", v.Checks[1])
	}
}
