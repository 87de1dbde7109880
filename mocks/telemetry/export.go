package telemetry

import (
	"context"
	"errors"
	"fmt"
	"math"
	"net/http"
	"strconv"
	"time"

	"google.golang.org/protobuf/proto"

	"github.com/llmchaos/llmchaos/mocks/control"
)

// FaultOverload is the Attempt.Fault of an export that arrived past capacity.
const FaultOverload = "overload"

// serveExport receives one export: decode, faults, capacity, service time, answer; and
// journals it whatever happens.
func (c *Collector) serveExport(w http.ResponseWriter, r *http.Request, sig *signal) {
	a := control.Attempt{
		Seq:           c.journal.Begin(),
		Upstream:      c.name,
		Arrived:       time.Now(),
		Method:        r.Method,
		Path:          r.URL.Path,
		CorrelationID: r.Header.Get("X-Request-Id"),
		RetryCount:    retryCount(r),
	}
	defer func() {
		a.Duration = time.Since(a.Arrived)
		c.journal.Record(a)
	}()

	req, enc, ok := c.decodeExport(w, r, &a, sig)
	if !ok {
		return
	}
	items := sig.count(req)
	a.Items = items
	c.counts.exports.Add(1)
	t := sig.tally(&c.counts)
	t.received.Add(int64(items))
	if c.hook != nil {
		c.hook(Export{Signal: sig.kind, Request: req, Items: items, JSON: enc == encJSON})
	}

	rejectFraction, answered := c.playFault(w, r, &a, enc)
	if answered || !c.serveWithinCapacity(w, r, &a, enc, sig, items) {
		return
	}

	rejected := rejectedItems(items, rejectFraction)
	msg := ""
	if rejected > 0 {
		msg = fmt.Sprintf("%s: injected fault: partial success, %d of %d %s rejected", c.name, rejected, items, sig.kind)
	}
	writeResponse(w, &a, enc, sig.response(int64(rejected), msg))
	if a.Status == http.StatusOK {
		a.Accepted = items - rejected
		t.accepted.Add(int64(a.Accepted))
	}
}

// decodeExport reads and decodes the export's body. It reports false when there is
// nothing more to do: bad input (answered 400 or 415, counted) or a body cut short (noted
// in a).
func (c *Collector) decodeExport(w http.ResponseWriter, r *http.Request, a *control.Attempt, sig *signal) (proto.Message, encoding, bool) {
	enc, err := requestEncoding(r)
	var data []byte
	if err == nil {
		data, err = c.readBody(w, r)
	}
	req := sig.newRequest()
	if err == nil {
		err = unmarshal(data, enc, req, sig.kind)
	}
	if err == nil {
		return req, enc, true
	}
	if errors.Is(err, errBusy) {
		a.Error = fmt.Sprintf("%s: %v (at most %d at once): retry after 1s", c.name, err, c.maxGunzip)
		w.Header().Set("Retry-After", "1")
		writeError(w, a, enc, http.StatusServiceUnavailable, a.Error)
		return nil, enc, false
	}
	var bad *badInput
	if errors.As(err, &bad) {
		c.counts.badRequests.Add(1)
		a.Error = bad.msg
		writeError(w, a, enc, bad.status, bad.msg)
		return nil, enc, false
	}
	a.Error = err.Error()
	a.Cut = true
	return nil, enc, false
}

// playFault applies the active fault, if any, to the export. It reports whether the fault
// answered it (status, hang), or else the share of items a partial success rejects.
func (c *Collector) playFault(w http.ResponseWriter, r *http.Request, a *control.Attempt, enc encoding) (rejectFraction float64, answered bool) {
	f, ok := c.Pick()
	if !ok {
		return 0, false
	}
	a.Fault = string(f.Type)
	switch f.Mode() {
	case control.ModeStatus:
		a.RetryAfter = f.SetRetryHeaders(w.Header(), time.Now())
		a.NonRetryable = control.NonRetryableStatus(f.StatusCode()) || w.Header().Get("X-Should-Retry") == "false"
		writeError(w, a, enc, f.StatusCode(), fmt.Sprintf("%s: injected fault: status %d", c.name, f.StatusCode()))
		return 0, true
	case control.ModeHang:
		c.hold(r.Context(), w, a, enc, f.Hold.D())
		return 0, true
	case control.ModePartialSuccess:
		return f.RejectFraction, false
	}
	return 0, false
}

// serveWithinCapacity admits the export through the capacity gate and holds it for its
// service time. It reports false when the export was answered or abandoned instead: past
// capacity (the overload answer), the client left, or the collector closed.
func (c *Collector) serveWithinCapacity(w http.ResponseWriter, r *http.Request, a *control.Attempt, enc encoding, sig *signal, items int) bool {
	g := c.gate.Load()
	release, err := g.admit(r.Context(), c.stop, func(d int64) { c.counts.queued.Add(d) })
	if err != nil {
		c.abandon(w, a, enc, err)
		return false
	}
	if release == nil {
		c.counts.overloaded.Add(1)
		c.overload(r.Context(), w, a, enc, sig, g.cap, items)
		return false
	}
	c.counts.active.Add(1)
	err = c.wait(r.Context(), g.cap.serviceTime(items))
	c.counts.active.Add(-1)
	release()
	if err != nil {
		c.abandon(w, a, enc, err)
		return false
	}
	return true
}

// overload answers an export past capacity as cp says.
func (c *Collector) overload(ctx context.Context, w http.ResponseWriter, a *control.Attempt, enc encoding, sig *signal, cp Capacity, items int) {
	a.Fault = FaultOverload
	switch cp.Overload {
	case OverloadStall:
		c.abandon(w, a, enc, c.wait(ctx, time.Duration(math.MaxInt64)))
	case OverloadPartialSuccess:
		msg := fmt.Sprintf("%s: over capacity, all %d %s rejected", c.name, items, sig.kind)
		writeResponse(w, a, enc, sig.response(int64(items), msg))
	default:
		a.RetryAfter = control.Fault{RetryAfter: cp.RetryAfter}.SetRetryHeaders(w.Header(), time.Now())
		writeError(w, a, enc, cp.Status, fmt.Sprintf("%s: over capacity, retry later", c.name))
	}
}

// hold answers nothing until hold passes (then 504), or forever when hold is 0, ending
// when the client leaves or the collector closes.
func (c *Collector) hold(ctx context.Context, w http.ResponseWriter, a *control.Attempt, enc encoding, hold time.Duration) {
	if hold <= 0 {
		hold = time.Duration(math.MaxInt64)
	}
	if err := c.wait(ctx, hold); err != nil {
		c.abandon(w, a, enc, err)
		return
	}
	writeError(w, a, enc, http.StatusGatewayTimeout, fmt.Sprintf("%s: injected fault: hang ended after %s", c.name, hold))
}

// wait blocks for d, or until the client leaves (ctx.Err()) or the collector closes (errClosed).
func (c *Collector) wait(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	case <-c.stop:
		return errClosed
	}
}

// abandon ends an export that was held: 503 when the collector closed, nothing when the
// client left.
func (c *Collector) abandon(w http.ResponseWriter, a *control.Attempt, enc encoding, err error) {
	if errors.Is(err, errClosed) {
		writeError(w, a, enc, http.StatusServiceUnavailable, c.name+": collector is shutting down")
		return
	}
	a.Cut = true
	if err != nil {
		a.Error = "client left: " + err.Error()
	}
}

// rejectedItems is how many of items a partial success with fraction f rejects: rounded up,
// so any fraction rejects at least one item of a non-empty export.
func rejectedItems(items int, f float64) int {
	if f <= 0 || items == 0 {
		return 0
	}
	return min(items, int(math.Ceil(float64(items)*f)))
}

// retryCount reads X-Stainless-Retry-Count, -1 when absent or not a number.
func retryCount(r *http.Request) int {
	n, err := strconv.Atoi(r.Header.Get("X-Stainless-Retry-Count"))
	if err != nil {
		return -1
	}
	return n
}
