package control

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"time"
)

// DefaultShutdownGrace is how long Serve lets in-flight requests finish after its
// context ends before it closes their connections.
const DefaultShutdownGrace = 2 * time.Second

// ListenAndServe listens on addr (use a loopback address such as "127.0.0.1:8080") and
// serves h until ctx ends, then shuts down as Serve does. It returns nil after a shutdown
// that ctx asked for, or the error that stopped it (the address in use, …).
func ListenAndServe(ctx context.Context, addr string, h http.Handler) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w (pick a free address, e.g. 127.0.0.1:0)", addr, err)
	}
	return Serve(ctx, ln, h)
}

// Serve serves h on ln until ctx ends. Then it stops accepting, gives in-flight
// requests DefaultShutdownGrace to finish, and closes what remains, which ends the
// contexts of requests a mock holds open (hangs, stalls). It closes ln and returns nil
// after a shutdown that ctx asked for, or the error that stopped serving.
func Serve(ctx context.Context, ln net.Listener, h http.Handler) error {
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("serve on %s: %w", ln.Addr(), err)
	case <-ctx.Done():
	}
	grace, cancel := context.WithTimeout(context.Background(), DefaultShutdownGrace)
	defer cancel()
	if err := srv.Shutdown(grace); err != nil {
		_ = srv.Close()
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("serve on %s: %w", ln.Addr(), err)
	}
	return nil
}
