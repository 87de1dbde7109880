package harness

import "time"

// Progress is a snapshot of a running scenario, for a progress line.
type Progress struct {
	Scenario string
	// Phase is the phase running now.
	Phase string
	// Elapsed is the time since the timeline started, at most Total.
	Elapsed time.Duration
	Total   time.Duration
	// Sent counts the requests finished so far (every outcome, dropped included), OK
	// those that succeeded.
	Sent int
	OK   int
	// SuccessRate is the share of OK samples among those that ended in the last
	// load.DefaultRecorderWindow: the current health, not the run's average. 1 before any ended.
	SuccessRate float64
	// Done is set on the last call, once the load ended.
	Done bool
}
