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

// Serve serves h on ln until ctx ends, over HTTP/1.1 and HTTP/2 cleartext on the same
// port (Protocols). Then it stops accepting, gives in-flight requests
// DefaultShutdownGrace to finish, and closes what remains, which ends the contexts of
// requests a mock holds open (hangs, stalls). It closes ln and returns nil after a
// shutdown that ctx asked for, or the error that stopped serving.
func Serve(ctx context.Context, ln net.Listener, h http.Handler) error {
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second, Protocols: Protocols()}
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

// Protocols returns the protocols every mock serves: HTTP/1.1 and HTTP/2 cleartext on one
// port. An HTTP/2 client over plain http:// (the AWS SDK for JavaScript talking to
// Bedrock, gRPC-style clients) sends HTTP/2 with prior knowledge, which an HTTP/1.1-only
// server answers with a protocol error; upgrade-less h2c is what Go's server accepts.
func Protocols() *http.Protocols {
	p := new(http.Protocols)
	p.SetHTTP1(true)
	p.SetUnencryptedHTTP2(true)
	return p
}
