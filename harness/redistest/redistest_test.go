package redistest

import "testing"

func TestStartAnswersPing(t *testing.T) {
	addr := Start(t)
	if !ping(addr) {
		t.Fatalf("no PONG from %s", addr)
	}
}
