//go:build unix

package sut

import (
	"context"
	"net"
	"net/url"
	"sync/atomic"
	"testing"
	"time"

	"github.com/llmchaos/llmchaos/harness/internal/testapp"
)

// TestSUTRetriesWhenItsPortWasTaken: the port picked for the app was taken by another
// process before the app bound it (the race of a free port picked, then bound later). The
// app exits before it is ready saying the address is in use; Start then picks a fresh
// port and starts it again, instead of failing the run.
func TestSUTRetriesWhenItsPortWasTaken(t *testing.T) {
	bin := testapp.Build(t)
	squatter, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer squatter.Close()
	var picks atomic.Int32
	pick := func() (string, error) {
		if picks.Add(1) == 1 {
			return squatter.Addr().String(), nil // "free" a moment ago; taken now
		}
		return FreeLoopbackAddr()
	}
	spec := Spec{
		Command: []string{bin},
		Env:     map[string]string{"SUTAPP_ADDR": "{{ .SUT.Addr }}"},
		Ready:   Ready{Path: "/healthz", Timeout: 20 * time.Second},
	}
	app, err := Start(context.Background(), spec, sutTestData(), withAddrPicker(pick))
	if err != nil {
		t.Fatalf("Start after the picked port was taken: %v", err)
	}
	defer app.Stop()
	u, _ := url.Parse(app.URL())
	if u.Host == squatter.Addr().String() || picks.Load() < 2 {
		t.Fatalf("the app serves at %s after %d picks; want a fresh port, not the taken %s", u.Host, picks.Load(), squatter.Addr())
	}
	if got := sutTestGet(t, app.URL()+"/healthz"); got == "" {
		t.Fatal("the restarted app does not answer")
	}
}
