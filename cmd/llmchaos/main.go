// Command llmchaos runs chaos and failover scenarios against an app that depends on LLM
// providers, and writes resilience reports. The CLI is built on spf13/cobra: flags go
// anywhere on the line (`llmchaos run scenarios/ --out report`), as `--flag value` or
// `--flag=value`, the common ones have short forms (-o, -l, -p, -f), `llmchaos completion
// SHELL` prints a completion script, and a mistyped command or flag gets a "did you mean".
// Every subcommand is one small file here; all the logic lives in the library packages.
//
// Exit codes: 0 every SLO held; 1 an SLO was breached (or diff found a regression); 2 bad
// input (a scenario file, a flag, an argument: every usage error); 3 the harness could not
// run (the app would not start or crashed, a port was taken) or the run was interrupted.
//
// Signals: SIGINT, SIGTERM and SIGHUP stop a run cleanly (the app stopped, a partial
// report written, exit 3); a second one exits at once (exit 3). Whatever ends llmchaos
// (a second signal, SIGQUIT's goroutine dump, SIGKILL, a crash), the app under test and
// the processes it started die with it (harness/internal/sut ties them to it).
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
)

// Exit codes: the CLI contract of docs/design.md.
const (
	exitOK        = 0 // every SLO held
	exitBreached  = 1 // an SLO was breached (or diff found a regression)
	exitBadInput  = 2 // bad file, flags or arguments
	exitCannotRun = 3 // the harness could not run: the app would not start, a port was taken, ...
)

// exitCode is what a subcommand's RunE returns when it ends with a code other than 0; the
// subcommand has already printed what it had to say.
type exitCode int

func (c exitCode) Error() string { return fmt.Sprintf("exit code %d", int(c)) }

// result turns a subcommand's exit code into its RunE's error: nil for exitOK.
func result(code int) error {
	if code == exitOK {
		return nil
	}
	return exitCode(code)
}

func main() {
	ctx, stop := interruptContext(os.Stderr, os.Exit)
	code := guardPanic(os.Stderr, func() int { return dispatch(ctx, os.Args[1:], os.Stdout, os.Stderr) })
	stop()
	os.Exit(code)
}

// dispatch runs the command line args and returns the exit code. Any error cobra reports
// itself (an unknown command or flag, a missing or extra argument) is a usage error: it is
// printed with a pointer to --help and exits 2.
func dispatch(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	root := newRootCmd(stdout, stderr)
	root.SetArgs(args)
	if err := checkSingleDashFlags(root, args); err != nil {
		fmt.Fprintln(stderr, err)
		return exitBadInput
	}
	cmd, err := root.ExecuteContextC(ctx)
	var code exitCode
	switch {
	case err == nil:
		return exitOK
	case errors.As(err, &code):
		return int(code)
	}
	fmt.Fprintf(stderr, "%s: %s\n", cmd.CommandPath(), term(strings.TrimSpace(err.Error())))
	fmt.Fprintf(stderr, "Run '%s --help' for its usage and an example.\n", cmd.CommandPath())
	return exitBadInput
}
