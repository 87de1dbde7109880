package telemetry_test

import (
	"context"
	"net"
	"net/http"
	"time"

	"github.com/llmchaos/llmchaos/mocks/control"
	"github.com/llmchaos/llmchaos/mocks/telemetry"
)

// Serving the collector on its own, as `llmchaos mock telemetry --listen ADDR` does.
func ExampleNew() {
	c, err := telemetry.New(telemetry.WithCapacity(telemetry.Capacity{
		Concurrency: 2, QueueSize: 4, ServiceTime: control.Duration(time.Millisecond),
		Overload: telemetry.OverloadReject, Status: http.StatusServiceUnavailable, RetryAfter: control.Duration(time.Second),
	}))
	if err != nil {
		panic(err) // bad input: the CLI exits 2
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		panic(err)
	}
	srv := &http.Server{Handler: c.Handler(), ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = srv.Serve(ln) }()

	// ... on interrupt: release held exports first, then shut the server down.
	_ = c.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_ = srv.Shutdown(ctx)
}
