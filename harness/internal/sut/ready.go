package sut

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"time"
)

// errExitedBeforeReady is waitReady's answer when the app exited while it was polled.
var errExitedBeforeReady = errors.New("the app exited before it was ready")

// The readiness poll's backoff: from sutReadyFirstPoll doubling up to the configured cap.
const (
	sutReadyFirstPoll  = 10 * time.Millisecond
	sutReadyTryTimeout = time.Second
)

// readyCheck is one readiness probe; nil means ready.
type readyCheck func(ctx context.Context) error

// waitReady polls check with a short backoff until it passes, exited closes, ctx ends or
// timeout passes. The timeout error carries the last probe's error.
func waitReady(ctx context.Context, check readyCheck, timeout, maxPoll time.Duration, exited <-chan struct{}) error {
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	poll := sutReadyFirstPoll
	var last error
	for {
		select {
		case <-exited:
			return errExitedBeforeReady
		default:
		}
		tctx, cancel := context.WithTimeout(ctx, sutReadyTryTimeout)
		last = check(tctx)
		cancel()
		if last == nil {
			return nil
		}
		wait := time.NewTimer(poll)
		select {
		case <-ctx.Done():
			wait.Stop()
			return fmt.Errorf("waiting for the sut to be ready: %w", ctx.Err())
		case <-exited:
			wait.Stop()
			return errExitedBeforeReady
		case <-deadline.C:
			wait.Stop()
			return fmt.Errorf("not ready after %v (last check: %v): raise sut.ready.timeout or check that the app listens where the harness looks", timeout, last)
		case <-wait.C:
		}
		poll = min(poll*2, maxPoll)
	}
}

// httpReady answers nil when GET target answers 2xx.
func httpReady(target string) readyCheck {
	client := &http.Client{Transport: &http.Transport{DisableKeepAlives: true, Proxy: nil}}
	return func(ctx context.Context) error {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, target, nil)
		if err != nil {
			return fmt.Errorf("readiness url %q: %w", target, err)
		}
		resp, err := client.Do(req)
		if err != nil {
			return err
		}
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<16))
		_ = resp.Body.Close()
		if resp.StatusCode < 200 || resp.StatusCode > 299 {
			return fmt.Errorf("GET %s answered %s", target, resp.Status)
		}
		return nil
	}
}

// tcpReady answers nil when addr accepts a TCP connection.
func tcpReady(addr string) readyCheck {
	return func(ctx context.Context) error {
		var d net.Dialer
		c, err := d.DialContext(ctx, "tcp", addr)
		if err != nil {
			return err
		}
		return c.Close()
	}
}

// joinURL appends path to base without doubling or losing the slash.
func joinURL(base, path string) string {
	return strings.TrimRight(base, "/") + "/" + strings.TrimLeft(path, "/")
}
