package telemetry

import (
	"context"
	"errors"
	"fmt"
	"math"
	"net/http"
	"sync/atomic"
	"time"

	"github.com/llmchaos/llmchaos/mocks/control"
)

// Overload names how the collector answers an export that arrives past its capacity.
type Overload string

// The overload answers.
const (
	// OverloadReject answers Capacity.Status (default DefaultOverloadStatus) with
	// Capacity.RetryAfter as Retry-After, the way a collector's memory limiter does.
	OverloadReject Overload = "reject"
	// OverloadStall holds the export without answering until the client gives up.
	OverloadStall Overload = "stall"
	// OverloadPartialSuccess answers 200 with every item rejected in OTLP partial_success.
	OverloadPartialSuccess Overload = "partial-success"
)

// DefaultOverloadStatus is the status OverloadReject answers when Capacity.Status is 0.
const DefaultOverloadStatus = http.StatusServiceUnavailable

// Capacity is the collector's capacity model. The zero value is unlimited: every export is
// served at once with no service time, and the collector is never overloaded.
type Capacity struct {
	// Concurrency is how many exports are served at once; 0 means unlimited.
	Concurrency int `json:"concurrency,omitempty" yaml:"concurrency,omitempty"`
	// ServiceTime is how long serving one item (span, data point, log record) takes: an
	// export of n items is answered n×ServiceTime after it got a slot, or dropped
	// unanswered when the client leaves first.
	ServiceTime control.Duration `json:"service_time,omitempty" yaml:"service_time,omitempty"`
	// QueueSize is how many exports may wait for a slot when every slot is busy. An export
	// that finds the queue full is past capacity and gets the Overload answer.
	// It needs Concurrency > 0.
	QueueSize int `json:"queue_size,omitempty" yaml:"queue_size,omitempty"`
	// Overload is the answer past capacity; "" means OverloadReject.
	Overload Overload `json:"overload,omitempty" yaml:"overload,omitempty"`
	// Status is OverloadReject's HTTP status (429, 503, ...); 0 means DefaultOverloadStatus.
	Status int `json:"status,omitempty" yaml:"status,omitempty"`
	// RetryAfter is sent as Retry-After (whole seconds, rounded up) with OverloadReject;
	// 0 sends none.
	RetryAfter control.Duration `json:"retry_after,omitempty" yaml:"retry_after,omitempty"`
}

// Validate reports a capacity that cannot be applied.
func (c Capacity) Validate() error {
	switch {
	case c.Concurrency < 0:
		return fmt.Errorf("capacity: concurrency %d is negative", c.Concurrency)
	case c.QueueSize < 0:
		return fmt.Errorf("capacity: queue_size %d is negative", c.QueueSize)
	case c.QueueSize > 0 && c.Concurrency == 0:
		return fmt.Errorf("capacity: queue_size %d needs a concurrency limit (concurrency > 0)", c.QueueSize)
	case c.ServiceTime < 0 || c.RetryAfter < 0:
		return fmt.Errorf("capacity: service_time and retry_after must not be negative")
	case c.Status != 0 && (c.Status < 400 || c.Status > 599):
		return fmt.Errorf("capacity: status %d is not an HTTP error (400-599)", c.Status)
	}
	switch c.Overload {
	case "", OverloadReject, OverloadStall, OverloadPartialSuccess:
	default:
		return fmt.Errorf("capacity: unknown overload %q (want %s, %s or %s)",
			c.Overload, OverloadReject, OverloadStall, OverloadPartialSuccess)
	}
	return nil
}

// normalized fills in the defaults.
func (c Capacity) normalized() Capacity {
	if c.Overload == "" {
		c.Overload = OverloadReject
	}
	if c.Status == 0 {
		c.Status = DefaultOverloadStatus
	}
	return c
}

// serviceTime is how long n items take, saturating instead of overflowing.
func (c Capacity) serviceTime(n int) time.Duration {
	st := c.ServiceTime.D()
	if st <= 0 || n <= 0 {
		return 0
	}
	if int64(n) > math.MaxInt64/int64(st) {
		return time.Duration(math.MaxInt64)
	}
	return time.Duration(n) * st
}

// gate admits exports under one Capacity. SetCapacity swaps in a new gate; exports already
// admitted or queued finish under the gate they entered.
type gate struct {
	cap     Capacity
	slots   chan struct{} // nil when concurrency is unlimited
	waiting atomic.Int64
}

func newGate(c Capacity) *gate {
	g := &gate{cap: c.normalized()}
	if c.Concurrency > 0 {
		g.slots = make(chan struct{}, c.Concurrency)
	}
	return g
}

var errClosed = errors.New("collector closed")

// admit waits for a slot. It returns a release func when the export was admitted; nil and
// a nil error when the export is past capacity; nil and an error when the client left
// (ctx) or the collector closed (stop) while the export waited in the queue.
// queued is called with +1 and -1 around the wait.
func (g *gate) admit(ctx context.Context, stop <-chan struct{}, queued func(int64)) (func(), error) {
	if g.slots == nil {
		return func() {}, nil
	}
	release := func() { <-g.slots }
	select {
	case g.slots <- struct{}{}:
		return release, nil
	default:
	}
	if g.waiting.Add(1) > int64(g.cap.QueueSize) {
		g.waiting.Add(-1)
		return nil, nil
	}
	defer g.waiting.Add(-1)
	queued(1)
	defer queued(-1)
	select {
	case g.slots <- struct{}{}:
		return release, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	case <-stop:
		return nil, errClosed
	}
}
