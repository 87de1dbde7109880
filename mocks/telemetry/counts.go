package telemetry

import "sync/atomic"

// Tally counts one kind of item.
type Tally struct {
	// Received counts items in exports the collector decoded.
	Received int64 `json:"received"`
	// Accepted counts items the collector answered as accepted (2xx, not rejected in
	// partial_success).
	Accepted int64 `json:"accepted"`
}

// Counts is a snapshot of what the collector received and accepted since New or Reset.
type Counts struct {
	Spans      Tally `json:"spans"`
	DataPoints Tally `json:"data_points"`
	LogRecords Tally `json:"log_records"`
	// Exports counts export requests decoded; BadRequests those refused as bad input
	// (400, 413, 415); Overloaded those that arrived past capacity.
	Exports     int64 `json:"exports"`
	BadRequests int64 `json:"bad_requests"`
	Overloaded  int64 `json:"overloaded"`
	// Active and Queued are gauges: exports being served, and waiting for a slot, right now.
	Active int64 `json:"active"`
	Queued int64 `json:"queued"`
}

type tally struct{ received, accepted atomic.Int64 }

func (t *tally) snapshot() Tally {
	return Tally{Received: t.received.Load(), Accepted: t.accepted.Load()}
}

func (t *tally) reset() {
	t.received.Store(0)
	t.accepted.Store(0)
}

// counters are the live counts. Gauges are not reset.
type counters struct {
	spans, points, records           tally
	exports, badRequests, overloaded atomic.Int64
	active, queued                   atomic.Int64
}

func (c *counters) snapshot() Counts {
	return Counts{
		Spans:       c.spans.snapshot(),
		DataPoints:  c.points.snapshot(),
		LogRecords:  c.records.snapshot(),
		Exports:     c.exports.Load(),
		BadRequests: c.badRequests.Load(),
		Overloaded:  c.overloaded.Load(),
		Active:      c.active.Load(),
		Queued:      c.queued.Load(),
	}
}

func (c *counters) reset() {
	c.spans.reset()
	c.points.reset()
	c.records.reset()
	c.exports.Store(0)
	c.badRequests.Store(0)
	c.overloaded.Store(0)
}
