package sut

import (
	"context"
	"fmt"
	"sync"

	"github.com/llmchaos/llmchaos/harness/tmpl"
)

// urlSUT is an app the harness did not start: it only knows its URL.
type urlSUT struct {
	url      string
	done     chan struct{}
	stopOnce sync.Once
}

var _ App = (*urlSUT)(nil)

func startURLSUT(ctx context.Context, spec Spec, data tmpl.Data, cfg config) (App, error) {
	target, err := sutURL(spec, data)
	if err != nil {
		return nil, &Error{Stage: "start", ExitCode: -1, Err: err}
	}
	u := &urlSUT{url: target, done: make(chan struct{})}
	if spec.Ready.Path != "" {
		err := waitReady(ctx, httpReady(joinURL(target, spec.Ready.Path)), readyTimeout(spec.Ready), cfg.readyPoll, u.done)
		if err != nil {
			return nil, &Error{Stage: "ready", ExitCode: -1, Err: fmt.Errorf("external app at %s: %w", target, err)}
		}
	}
	return u, nil
}

// URL is the external app's URL.
func (u *urlSUT) URL() string { return u.url }

// Log is empty: the harness does not see an external app's output.
func (u *urlSUT) Log() []string { return nil }

// Done is closed by Stop only: the harness cannot see an external app exit.
func (u *urlSUT) Done() <-chan struct{} { return u.done }

// Err is ErrStopped after Stop, nil before.
func (u *urlSUT) Err() error {
	select {
	case <-u.done:
		return ErrStopped
	default:
		return nil
	}
}

// Stop forgets the app (it is not the harness's to end) and closes Done.
func (u *urlSUT) Stop() error {
	u.stopOnce.Do(func() { close(u.done) })
	return nil
}
