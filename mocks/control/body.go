package control

import (
	"net/http"
	"time"
)

// DefaultBodyReadTimeout is how long a mock waits for a request's whole body once its
// headers arrived. A client that trickles a body (or declares more than it sends) is cut
// off after it, instead of holding a connection and its handler for ever. It applies
// only while a body is read, so connections a fault holds open (a hang, a stall, a
// proxy's blackhole) are not affected.
const DefaultBodyReadTimeout = 10 * time.Second

// readDeadliner is what a ResponseWriter offers to bound reads of its connection
// (net/http's writer does).
type readDeadliner interface {
	SetReadDeadline(time.Time) error
}

// BodyRead is a read deadline set while a request's body is read: call End once it is.
type BodyRead struct {
	d readDeadliner
}

// BodyDeadline sets a read deadline d from now on the connection of w, reached through
// the Unwrap methods of wrapping writers as http.ResponseController does (without its
// allocation: it runs on every request), and returns the BodyRead whose End lifts it.
// d <= 0, or a writer that has no deadlines (an httptest.ResponseRecorder), leaves reads
// unbounded.
func BodyDeadline(w http.ResponseWriter, d time.Duration) BodyRead {
	if d <= 0 {
		return BodyRead{}
	}
	for {
		switch t := w.(type) {
		case readDeadliner:
			if t.SetReadDeadline(time.Now().Add(d)) != nil {
				return BodyRead{}
			}
			return BodyRead{d: t}
		case interface{ Unwrap() http.ResponseWriter }:
			w = t.Unwrap()
		default:
			return BodyRead{}
		}
	}
}

// End lifts the deadline BodyDeadline set, if it set one.
func (b BodyRead) End() {
	if b.d != nil {
		_ = b.d.SetReadDeadline(time.Time{})
	}
}
