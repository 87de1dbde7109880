package sut

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/llmchaos/llmchaos/harness/tmpl"
)

// handlerSUT is an http.Handler served in-process on a loopback listener.
type handlerSUT struct {
	url   string
	srv   *http.Server
	log   *logRing
	grace time.Duration
	done  chan struct{}

	mu       sync.Mutex
	stopping bool
	err      error

	stopOnce sync.Once
}

var _ App = (*handlerSUT)(nil)

func startHandlerSUT(ctx context.Context, spec Spec, data tmpl.Data, cfg config) (App, error) {
	listen := "127.0.0.1:0"
	if data.SUT.Addr != "" {
		listen = data.SUT.Addr
	}
	ln, err := net.Listen("tcp", listen)
	if err != nil {
		return nil, &Error{Stage: "start", ExitCode: -1, Err: fmt.Errorf("listen for the in-process sut on %s: %w", listen, err)}
	}
	data.SUT.Addr = ln.Addr().String()
	target, err := sutURL(spec, data)
	if err != nil {
		_ = ln.Close()
		return nil, &Error{Stage: "start", ExitCode: -1, Err: err}
	}
	h := &handlerSUT{
		url:   target,
		log:   newLogRing(cfg.tail),
		grace: cfg.stopGrace,
		done:  make(chan struct{}),
	}
	h.srv = &http.Server{
		Handler:           spec.Handler,
		ReadHeaderTimeout: 10 * time.Second,
		ErrorLog:          log.New(h.log, "", 0),
	}
	go h.serve(ln)
	if spec.Ready.Path == "" {
		return h, nil // the listener already accepts
	}
	err = waitReady(ctx, httpReady(joinURL(target, spec.Ready.Path)), readyTimeout(spec.Ready), cfg.readyPoll, h.done)
	if err != nil {
		_ = h.Stop()
		return nil, &Error{Stage: "ready", ExitCode: -1, LogTail: h.Log(), Err: fmt.Errorf("in-process handler at %s: %w", target, err)}
	}
	return h, nil
}

func (h *handlerSUT) serve(ln net.Listener) {
	err := h.srv.Serve(ln)
	h.mu.Lock()
	if h.stopping || errors.Is(err, http.ErrServerClosed) {
		h.err = ErrStopped
	} else {
		h.err = &Error{Stage: "exit", ExitCode: -1, LogTail: h.log.Lines(), Err: fmt.Errorf("in-process handler stopped serving: %w", err)}
	}
	h.mu.Unlock()
	close(h.done)
}

// URL is where the handler serves.
func (h *handlerSUT) URL() string { return h.url }

// Log is the tail of the server's error log.
func (h *handlerSUT) Log() []string { return h.log.Lines() }

// Done is closed when the server stopped.
func (h *handlerSUT) Done() <-chan struct{} { return h.done }

// Err says why the server stopped; nil while it serves.
func (h *handlerSUT) Err() error {
	select {
	case <-h.done:
	default:
		return nil
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.err
}

// Stop shuts the server down, giving open requests the grace period, then closes what is left.
func (h *handlerSUT) Stop() error {
	h.stopOnce.Do(func() {
		h.mu.Lock()
		h.stopping = true
		h.mu.Unlock()
		ctx, cancel := context.WithTimeout(context.Background(), h.grace)
		defer cancel()
		if err := h.srv.Shutdown(ctx); err != nil {
			_ = h.srv.Close()
		}
		<-h.done
	})
	return nil
}
