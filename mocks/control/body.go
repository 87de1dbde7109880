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

// BodyDeadline sets a read deadline d from now on the connection of w (through
// http.ResponseController, so wrapped writers that Unwrap work) and returns the function
// that lifts it: call it once the body is read. d <= 0, or a writer that has no
// deadlines (an httptest.ResponseRecorder), leaves reads unbounded.
func BodyDeadline(w http.ResponseWriter, d time.Duration) (lift func()) {
	if d <= 0 {
		return func() {}
	}
	rc := http.NewResponseController(w)
	if rc.SetReadDeadline(time.Now().Add(d)) != nil {
		return func() {}
	}
	return func() { _ = rc.SetReadDeadline(time.Time{}) }
}
