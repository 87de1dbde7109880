package store_test

import (
	"testing"
	"time"

	"github.com/llmchaos/llmchaos/mocks/internal/slowbody"
	"github.com/llmchaos/llmchaos/mocks/store"
)

// TestSlowBodiesAreCutOff: requests that declare a body and trickle it are cut off once
// the body read timeout passes, instead of holding a connection for as long as they like.
func TestSlowBodiesAreCutOff(t *testing.T) {
	s, err := store.New(store.WithBodyReadTimeout(300 * time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	srv := serve(t, s)
	const conns = 20
	ended := slowbody.Trickle(t, srv.Listener.Addr().String(), slowbody.Request{
		Path: "/v1/history/u1", Headers: map[string]string{"Content-Type": "application/json"},
		Declared: 500_000, Prefix: []byte("{"), Interval: 100 * time.Millisecond,
	}, conns)
	slowbody.Await(t, ended, conns, 10*time.Second)
}
