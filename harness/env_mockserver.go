package harness

import (
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"

	"github.com/llmchaos/llmchaos/mocks/control"
)

// mockServer serves one mock and its admin API on a loopback listener.
type mockServer struct {
	mock control.Mock
	srv  *http.Server
	addr string
	done chan struct{}
}

func serveMock(m control.Mock) (*mockServer, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("listen for mock %q on loopback: %w", m.Name(), err)
	}
	ms := &mockServer{
		mock: m,
		srv: &http.Server{
			// No read or idle timeouts: a blackholed connection must stay silent, not be
			// closed by the mock after a while.
			Handler: control.WithAdmin(m),
			// HTTP/1.1 and HTTP/2 cleartext (prior knowledge) on the same port.
			Protocols: control.Protocols(),
			// Clients cut off by faults make the server log; that is expected here.
			ErrorLog: log.New(io.Discard, "", 0),
		},
		addr: ln.Addr().String(),
		done: make(chan struct{}),
	}
	go func() {
		defer close(ms.done)
		_ = ms.srv.Serve(ln)
	}()
	return ms, nil
}

// close closes the listener and every connection at once (a mock may be holding a
// request forever, so no graceful shutdown), then the mock itself if it is an io.Closer.
func (ms *mockServer) close() error {
	err := ms.srv.Close()
	<-ms.done
	if c, ok := ms.mock.(io.Closer); ok {
		err = errors.Join(err, c.Close())
	}
	if err != nil {
		return fmt.Errorf("stop mock %q: %w", ms.mock.Name(), err)
	}
	return nil
}
