// Package sut is the harness's lifecycle of the app under test: started as a process in
// its own process group (Setpgid; killed with the whole group) that dies with the harness
// however the harness ends (Pdeathsig on the leader, started from a thread that never
// exits, and a reaper process that kills the group when the harness's pipe to it
// closes), served in-process as an
// http.Handler, or reached at a URL; readiness by an HTTP GET or a TCP connect; the tail
// of its output. It imports harness/tmpl (the command, env and URL are templates).
package sut

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"time"

	"github.com/llmchaos/llmchaos/harness/tmpl"
)

// Spec says how to start or reach the app: exactly one of Command, Handler or (URL
// alone) is the app; Command, Env and URL are templates (tmpl.Data).
type Spec struct {
	Command []string
	Dir     string
	Env     map[string]string
	Handler http.Handler
	URL     string
	Ready   Ready
}

// Ready is how the app is known to be up: an HTTP GET on Path answering 2xx or, with
// Path empty, a TCP connect. Timeout 0 means DefaultReadyTimeout.
type Ready struct {
	Path    string
	Timeout time.Duration
}

// App is a running app under test, however it was started.
type App interface {
	// URL is the base URL the driver sends load to.
	URL() string
	// Log is the tail of the app's stdout and stderr (for a Handler, the http.Server's
	// error log), oldest line first, at most the tail length lines.
	Log() []string
	// Done is closed when the app exited, or was stopped.
	Done() <-chan struct{}
	// Err says why the app exited: nil while it runs, ErrStopped after Stop,
	// a *Error when it exited by itself.
	Err() error
	// Stop ends the app (for a process: its whole process group) and waits for it.
	// Calling it again is harmless.
	Stop() error
}

// The app lifecycle defaults.
const (
	// DefaultReadyTimeout bounds the wait for the app to become ready.
	DefaultReadyTimeout = 30 * time.Second
	// DefaultStopGrace is how long Stop waits after SIGTERM before SIGKILL.
	DefaultStopGrace = 3 * time.Second
	// DefaultLogTail is how many lines of the app's output are kept.
	DefaultLogTail = 200
	// DefaultMaxLogLine is the longest log line kept; the rest of a longer line is dropped.
	DefaultMaxLogLine = 4096
)

// ErrStopped is what App.Err returns once Stop ended the app.
var ErrStopped = errors.New("sut stopped by the harness")

// Error is an app that could not be started, did not become ready, or exited by itself.
// It carries the app's last log lines so the reason is visible.
type Error struct {
	// Stage is "start" (could not be launched), "ready" (never became ready) or "exit"
	// (exited on its own, before or after it was ready).
	Stage string
	// ExitCode is the process's exit code; -1 when it did not exit or was killed by a signal.
	ExitCode int
	// LogTail is the app's last output lines, oldest first.
	LogTail []string
	// Err is the underlying cause.
	Err error
}

// sutErrorTailLines is how many log lines Error.Error shows.
const sutErrorTailLines = 20

// Error describes what failed with the last log lines.
func (e *Error) Error() string {
	msg := fmt.Sprintf("sut %s: %v", e.Stage, e.Err)
	if e.ExitCode >= 0 {
		msg += fmt.Sprintf(" (exit code %d)", e.ExitCode)
	}
	tail := e.LogTail
	if len(tail) > sutErrorTailLines {
		tail = tail[len(tail)-sutErrorTailLines:]
	}
	if len(tail) == 0 {
		return msg + "; the app printed nothing"
	}
	msg += fmt.Sprintf("; its last %d log lines:", len(tail))
	for _, l := range tail {
		msg += "\n  | " + l
	}
	return msg
}

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }

// Option tunes Start.
type Option func(*config)

type config struct {
	output    io.Writer
	tail      int
	stopGrace time.Duration
	readyPoll time.Duration
	pickAddr  func() (string, error) // FreeLoopbackAddr; tests stand in for the race
}

// withAddrPicker replaces FreeLoopbackAddr (tests: a port taken between pick and bind).
func withAddrPicker(pick func() (string, error)) Option { return func(c *config) { c.pickAddr = pick } }

// WithLogWriter also copies every line the app prints to w (for example os.Stderr),
// as it arrives. Writes happen from one goroutine.
func WithLogWriter(w io.Writer) Option { return func(c *config) { c.output = w } }

// WithLogTail keeps the last n lines of output (default DefaultLogTail).
func WithLogTail(n int) Option {
	return func(c *config) {
		if n > 0 {
			c.tail = n
		}
	}
}

// WithStopGrace sets how long Stop waits after SIGTERM before SIGKILL (default DefaultStopGrace).
func WithStopGrace(d time.Duration) Option {
	return func(c *config) {
		if d >= 0 {
			c.stopGrace = d
		}
	}
}

// Start starts or reaches the app spec describes and returns once it is ready:
//   - Command: a process started with the rendered Command and Env (os.Environ plus Env)
//     in Dir, in its own process group; its output is kept (Log) and optionally copied.
//   - Handler: spec.Handler served on a 127.0.0.1:0 listener.
//   - URL alone: an external app; only checked when Ready.Path is set.
//
// When data.SUT.Addr is empty Start picks a free loopback address for a Command app
// (see FreeLoopbackAddr) or uses the Handler's listener address. URL defaults to
// http://{{ .SUT.Addr }}. Readiness is an HTTP GET on Ready.Path answering 2xx or, with
// Path empty, a TCP connect, polled until Ready.Timeout (DefaultReadyTimeout). An app that
// exits before it is ready gives a *Error at once, with its log tail (unless its picked
// address was taken meanwhile: then it is started again on a fresh port, see
// FreeLoopbackAddr); so does one that is not ready in time. ctx bounds only the start, not the app's life: call Stop.
func Start(ctx context.Context, spec Spec, data tmpl.Data, opts ...Option) (App, error) {
	cfg := config{tail: DefaultLogTail, stopGrace: DefaultStopGrace, readyPoll: 200 * time.Millisecond, pickAddr: FreeLoopbackAddr}
	for _, o := range opts {
		o(&cfg)
	}
	switch {
	case len(spec.Command) > 0 && spec.Handler != nil:
		return nil, &Error{Stage: "start", ExitCode: -1, Err: errors.New("sut has both a command and a handler: give one")}
	case len(spec.Command) > 0:
		return startProcessSUT(ctx, spec, data, cfg)
	case spec.Handler != nil:
		return startHandlerSUT(ctx, spec, data, cfg)
	case spec.URL != "":
		return startURLSUT(ctx, spec, data, cfg)
	default:
		return nil, &Error{Stage: "start", ExitCode: -1, Err: errors.New("sut has no command, handler or url: say how to start or reach the app")}
	}
}

// FreeLoopbackAddr returns a 127.0.0.1:PORT that was free a moment ago: it listens on
// 127.0.0.1:0, takes the port and closes the listener. Another process may take the port
// before the app binds it (a small race): Start then sees the app exit before it is
// ready with its address in use (its log says so, or the port cannot be bound), and
// starts it again on a fresh port, up to DefaultPortAttempts times.
func FreeLoopbackAddr() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", fmt.Errorf("pick a free loopback port for the sut: %w", err)
	}
	addr := ln.Addr().String()
	if err := ln.Close(); err != nil {
		return "", fmt.Errorf("pick a free loopback port for the sut: %w", err)
	}
	return addr, nil
}

// sutURL renders spec.URL, defaulting to http://ADDR, and checks it is an absolute http(s) URL.
func sutURL(spec Spec, data tmpl.Data) (string, error) {
	raw := spec.URL
	if raw == "" {
		if data.SUT.Addr == "" {
			return "", errors.New("sut url is empty and no address was picked: set sut.url")
		}
		return "http://" + data.SUT.Addr, nil
	}
	s, err := tmpl.Render("sut.url", raw, data)
	if err != nil {
		return "", err
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", fmt.Errorf("sut url %q is not an absolute http(s) URL: write it like http://127.0.0.1:8080", s)
	}
	return s, nil
}

func readyTimeout(r Ready) time.Duration {
	if r.Timeout > 0 {
		return r.Timeout
	}
	return DefaultReadyTimeout
}
