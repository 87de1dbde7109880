package slo

import (
	"fmt"
	"runtime"
	"testing"
	"time"

	"github.com/llmchaos/llmchaos/harness"
	"github.com/llmchaos/llmchaos/mocks/control"
)

// maxGroupingBytesPerAttempt bounds what grouping a journal's attempts by correlation id
// (the retry-after and non-retryable measures) allocates per attempt: its place in a
// group, not a copy of the attempt (control.Attempt is 240 bytes, and a run's journals
// hold up to millions).
const maxGroupingBytesPerAttempt = 160

// TestGroupingDoesNotCopyAttempts measures the bytes measureRetryAfter and
// measureNonRetryable allocate over a journal of 50,000 attempts, each with its own
// correlation id (the shape of a long steady run).
func TestGroupingDoesNotCopyAttempts(t *testing.T) {
	const n = 50_000
	start := time.Now()
	journal := make([]control.Attempt, n)
	for i := range journal {
		journal[i] = control.Attempt{Seq: i + 1, Upstream: "primary", Arrived: start.Add(time.Duration(i) * time.Millisecond),
			CorrelationID: fmt.Sprintf("soak-%06d", i), Status: 200, Complete: true}
	}
	r := &harness.Result{Start: start, End: start.Add(n * time.Millisecond),
		Journals: map[string][]control.Attempt{"primary": journal},
		Kinds:    map[string]harness.UpstreamKind{"primary": harness.KindOpenAI}}
	rn := newRun(r, newConfig(nil))
	for _, m := range []struct {
		name string
		f    func() int
	}{{"retry-after", func() int { return len(rn.measureRetryAfter()) }}, {"non-retryable", func() int { return len(rn.measureNonRetryable()) }}} {
		runtime.GC()
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		if got := m.f(); got != 0 {
			t.Fatalf("%s: %d findings in a journal of first attempts", m.name, got)
		}
		runtime.ReadMemStats(&after)
		per := float64(after.TotalAlloc-before.TotalAlloc) / n
		t.Logf("%s: %.0f bytes allocated per attempt", m.name, per)
		if per > maxGroupingBytesPerAttempt {
			t.Errorf("%s allocates %.0f bytes per attempt, over %d: it copies the attempts", m.name, per, maxGroupingBytesPerAttempt)
		}
	}
}
