package store_test

import (
	"context"
	"net"
	"net/http"
	"time"

	"github.com/llmchaos/llmchaos/mocks/store"
)

// Serving the store on its own, as `llmchaos mock store --listen ADDR` does.
func ExampleNew() {
	s, err := store.New(store.WithMaxMessages(200))
	if err != nil {
		panic(err) // bad input: the CLI exits 2
	}
	_ = s.SetHistory("alice", []store.Message{{Role: "user", Content: "hello"}}) // optional seed data
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		panic(err)
	}
	srv := &http.Server{Handler: s.Handler(), ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = srv.Serve(ln) }()

	_ = s.Close() // release hung requests, then shut down
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_ = srv.Shutdown(ctx)
}
