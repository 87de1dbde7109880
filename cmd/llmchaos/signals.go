package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/debug"
	"syscall"
)

// stopSignals end a run cleanly: Ctrl-C, a supervisor's SIGTERM, a closed terminal's or a
// cancelled CI job's SIGHUP.
var stopSignals = []os.Signal{os.Interrupt, syscall.SIGTERM, syscall.SIGHUP}

// interruptContext returns a context cancelled by the first stop signal (the run then
// stops cleanly and writes what it has) and calls exit(exitCannotRun) at the second, for
// a person who does not want to wait for the clean stop. stop releases the signals.
func interruptContext(stderr io.Writer, exit func(int)) (ctx context.Context, stop func()) {
	ctx, cancel := context.WithCancel(context.Background())
	sigs := make(chan os.Signal, 2)
	signal.Notify(sigs, stopSignals...)
	done := make(chan struct{})
	go func() {
		select {
		case sig := <-sigs:
			// every subcommand shares this handler: what a clean stop leaves, each says
			// itself (run: its app stopped, the reports marked interrupted)
			fmt.Fprintf(stderr, "llmchaos: %v: stopping cleanly; a second signal exits at once\n", sig)
			cancel()
		case <-done:
			return
		}
		select {
		case sig := <-sigs:
			fmt.Fprintf(stderr, "llmchaos: second signal (%v): exiting now, without the report\n", sig)
			exit(exitCannotRun)
		case <-done:
		}
	}()
	return ctx, func() {
		signal.Stop(sigs)
		close(done)
		cancel()
	}
}

// guardPanic runs fn and turns a panic into exit code exitCannotRun with the panic and its
// stack on stderr. The panic unwound fn's stack first, so the deferred cleanups of the run
// in progress (the app stopped, the proxies removed) have run.
func guardPanic(stderr io.Writer, fn func() int) (code int) {
	defer func() {
		if p := recover(); p != nil {
			fmt.Fprintf(stderr, "llmchaos: internal error (please report it): %v\n%s", p, debug.Stack())
			code = exitCannotRun
		}
	}()
	return fn()
}
