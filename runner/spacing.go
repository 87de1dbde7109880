package runner

import (
	"context"
	"time"
)

// DefaultStartSpacing is the least time between the starts of two runs when several run
// at once (Plan.Parallel above 1). Runs started in the same instant have their timelines
// in step: their phase changes, and the bursts of work a fault brings (a wave of
// timeouts, failovers, retries), land on the same milliseconds in every run. A catalog
// pass at 12 at once whose first runs all started together failed three gateway runs at
// the first fault (BENCHMARKS.md). Filling 12 slots this way takes 2.2 s.
const DefaultStartSpacing = 200 * time.Millisecond

// spacer keeps starts at least every apart; the zero spacer never waits.
type spacer struct {
	every time.Duration
	last  time.Time
}

// wait returns once every has passed since the previous wait returned (at once the first
// time), or false when ctx ends first.
func (s *spacer) wait(ctx context.Context) bool {
	if s.every > 0 && !s.last.IsZero() {
		if d := s.every - time.Since(s.last); d > 0 {
			t := time.NewTimer(d)
			defer t.Stop()
			select {
			case <-t.C:
			case <-ctx.Done():
				return false
			}
		}
	}
	s.last = time.Now()
	return ctx.Err() == nil
}
