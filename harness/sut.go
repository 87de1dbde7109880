package harness

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"time"
)

// SUT is a running app under test, however it was started.
type SUT interface {
	// URL is the base URL the driver sends load to.
	URL() string
	// Log is the tail of the app's stdout and stderr (for a Handler, the http.Server's
	// error log), oldest line first, at most the tail length lines.
	Log() []string
	// Done is closed when the app exited, or was stopped.
	Done() <-chan struct{}
	// Err says why the app exited: nil while it runs, ErrSUTStopped after Stop,
	// a *SUTError when it exited by itself.
	Err() error
	// Stop ends the app (for a process: its whole process group) and waits for it.
	// Calling it again is harmless.
	Stop() error
}

// The SUT lifecycle defaults.
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

// ErrSUTStopped is what SUT.Err returns once Stop ended the app.
var ErrSUTStopped = errors.New("sut stopped by the harness")

// SUTError is an app that could not be started, did not become ready, or exited by itself.
// It carries the app's last log lines so the reason is visible.
type SUTError struct {
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

// sutErrorTailLines is how many log lines SUTError.Error shows.
const sutErrorTailLines = 20

// Error describes what failed with the last log lines.
func (e *SUTError) Error() string {
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
func (e *SUTError) Unwrap() error { return e.Err }

// SUTOption tunes StartSUT.
type SUTOption func(*sutConfig)

type sutConfig struct {
	output    io.Writer
	tail      int
	stopGrace time.Duration
	readyPoll time.Duration
}

// WithSUTLogWriter also copies every line the app prints to w (for example os.Stderr),
// as it arrives. Writes happen from one goroutine.
func WithSUTLogWriter(w io.Writer) SUTOption { return func(c *sutConfig) { c.output = w } }

// WithSUTLogTail keeps the last n lines of output (default DefaultLogTail).
func WithSUTLogTail(n int) SUTOption {
	return func(c *sutConfig) {
		if n > 0 {
			c.tail = n
		}
	}
}

// WithSUTStopGrace sets how long Stop waits after SIGTERM before SIGKILL (default DefaultStopGrace).
func WithSUTStopGrace(d time.Duration) SUTOption {
	return func(c *sutConfig) {
		if d >= 0 {
			c.stopGrace = d
		}
	}
}

// StartSUT starts or reaches the app spec describes and returns once it is ready:
//   - Command: a process started with the rendered Command and Env (os.Environ plus Env)
//     in Dir, in its own process group; its output is kept (Log) and optionally copied.
//   - Handler: spec.Handler served on a 127.0.0.1:0 listener.
//   - URL alone: an external app; only checked when Ready.Path is set.
//
// When data.SUT.Addr is empty StartSUT picks a free loopback address for a Command app
// (see FreeLoopbackAddr) or uses the Handler's listener address. URL defaults to
// http://{{ .SUT.Addr }}. Readiness is an HTTP GET on Ready.Path answering 2xx or, with
// Path empty, a TCP connect, polled until Ready.Timeout (DefaultReadyTimeout). An app that
// exits before it is ready gives a *SUTError at once, with its log tail; so does one that
// is not ready in time. ctx bounds only the start, not the app's life: call Stop.
func StartSUT(ctx context.Context, spec SUTSpec, data TemplateData, opts ...SUTOption) (SUT, error) {
	cfg := sutConfig{tail: DefaultLogTail, stopGrace: DefaultStopGrace, readyPoll: 200 * time.Millisecond}
	for _, o := range opts {
		o(&cfg)
	}
	switch {
	case len(spec.Command) > 0 && spec.Handler != nil:
		return nil, &SUTError{Stage: "start", ExitCode: -1, Err: errors.New("sut has both a command and a handler: give one")}
	case len(spec.Command) > 0:
		return startProcessSUT(ctx, spec, data, cfg)
	case spec.Handler != nil:
		return startHandlerSUT(ctx, spec, data, cfg)
	case spec.URL != "":
		return startURLSUT(ctx, spec, data, cfg)
	default:
		return nil, &SUTError{Stage: "start", ExitCode: -1, Err: errors.New("sut has no command, handler or url: say how to start or reach the app")}
	}
}

// FreeLoopbackAddr returns a 127.0.0.1:PORT that was free a moment ago: it listens on
// 127.0.0.1:0, takes the port and closes the listener. Another process may take the port
// before the app binds it (a small race); the app then fails to start and the error says so.
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
func sutURL(spec SUTSpec, data TemplateData) (string, error) {
	raw := spec.URL
	if raw == "" {
		if data.SUT.Addr == "" {
			return "", errors.New("sut url is empty and no address was picked: set sut.url")
		}
		return "http://" + data.SUT.Addr, nil
	}
	s, err := RenderTemplate("sut.url", raw, data)
	if err != nil {
		return "", err
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", fmt.Errorf("sut url %q is not an absolute http(s) URL: write it like http://127.0.0.1:8080", s)
	}
	return s, nil
}

func readyTimeout(r ReadySpec) time.Duration {
	if r.Timeout > 0 {
		return r.Timeout
	}
	return DefaultReadyTimeout
}
