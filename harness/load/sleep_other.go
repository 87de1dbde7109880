//go:build !linux

package load

import "time"

// preciseTimer waits on a Go timer where Linux's timerfd is not available.
type preciseTimer struct{}

// newPreciseTimer returns a preciseTimer.
func newPreciseTimer() (*preciseTimer, error) { return &preciseTimer{}, nil }

// wait returns at instant at, at once if it has passed.
func (*preciseTimer) wait(at time.Time) { time.Sleep(time.Until(at)) }

// close does nothing.
func (*preciseTimer) close() {}
