package slo

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/llmchaos/llmchaos/mocks/control"
)

// NonRetryableRetry is an attempt that came after an answer the provider marked as not
// to be retried, on the same upstream for the same correlation id.
type NonRetryableRetry struct {
	Upstream, ID string
	// After is when the non-retryable answer ended; At when the retry arrived.
	After, At time.Duration
	// Status is the non-retryable answer's HTTP status (200 for an error inside a stream).
	Status int
}

// measureNonRetryable finds the attempts, in every LLM journal, that followed a
// non-retryable answer (control.Attempt.NonRetryable) for the same correlation id on
// the same upstream: attempts grouped by (upstream, correlation id), in arrival order;
// every attempt after the first non-retryable answer of its group counts. A failover to
// another upstream is not counted: another provider may well accept what one refused.
func (rn *run) measureNonRetryable() []NonRetryableRetry {
	var out []NonRetryableRetry
	names := make([]string, 0, len(rn.r.Journals))
	for name := range rn.r.Journals {
		if rn.isLLM(name) {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	for _, name := range names {
		for id, as := range groupByID(rn.r.Journals[name]) {
			out = append(out, rn.retriesAfterRefusal(name, id, as)...)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].At < out[j].At })
	return out
}

// groupByID groups attempts with a correlation id by it, each group in arrival order. The
// groups point into journal (a run's journals hold millions of attempts: no copies).
func groupByID(journal []control.Attempt) map[string][]*control.Attempt {
	byID := make(map[string][]*control.Attempt, len(journal))
	for i := range journal {
		if a := &journal[i]; a.CorrelationID != "" {
			byID[a.CorrelationID] = append(byID[a.CorrelationID], a)
		}
	}
	for _, as := range byID {
		sort.SliceStable(as, func(i, j int) bool { return as[i].Arrived.Before(as[j].Arrived) })
	}
	return byID
}

// retriesAfterRefusal returns the attempts of one group after its first non-retryable answer.
func (rn *run) retriesAfterRefusal(upstream, id string, as []*control.Attempt) []NonRetryableRetry {
	var out []NonRetryableRetry
	for i, a := range as {
		if !a.NonRetryable {
			continue
		}
		for _, next := range as[i+1:] {
			out = append(out, NonRetryableRetry{Upstream: upstream, ID: id,
				After: rn.off(a.Arrived.Add(a.Duration)), At: rn.off(next.Arrived), Status: a.Status})
		}
		break
	}
	return out
}

// nonRetryableStory tells the first few retries of non-retryable answers.
func nonRetryableStory(rs []NonRetryableRetry) string {
	if len(rs) == 0 {
		return "no attempt followed a non-retryable answer on the same upstream"
	}
	var parts []string
	for i, r := range rs {
		if i == 3 {
			parts = append(parts, fmt.Sprintf("and %d more", len(rs)-3))
			break
		}
		parts = append(parts, fmt.Sprintf("%s %s retried at %s after a non-retryable %d at %s", r.Upstream, r.ID, fmtAt(r.At), r.Status, fmtAt(r.After)))
	}
	return strings.Join(parts, "; ")
}
