// Command llmchaos runs chaos and failover scenarios against an app that depends on LLM
// providers, and writes resilience reports. Every subcommand is one small file here; all
// the logic lives in the library packages.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sort"
	"syscall"
)

// Exit codes: the CLI contract of DESIGN.md.
const (
	exitOK        = 0 // every SLO held
	exitBreached  = 1 // an SLO was breached (or diff found a regression)
	exitBadInput  = 2 // bad file or flags
	exitCannotRun = 3 // the harness could not run: the app would not start, a port was taken, ...
)

// command is one subcommand.
type command struct {
	summary string
	run     func(ctx context.Context, args []string, stdout, stderr io.Writer) int
}

func commands() map[string]command {
	return map[string]command{
		"run":      {"run scenarios against an app and write reports", cmdRun},
		"mock":     {"serve a mock upstream (llm, telemetry, store) on its own", cmdMock},
		"report":   {"render reports (Markdown, HTML, JUnit) from report JSON files", cmdReport},
		"diff":     {"compare two reports and flag regressions", cmdDiff},
		"list":     {"list the scenarios in files or folders", cmdList},
		"validate": {"check scenario files without running them", cmdValidate},
		"version":  {"print the version", cmdVersion},
	}
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := dispatch(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

func dispatch(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		usage(stdout)
		if len(args) == 0 {
			return exitBadInput
		}
		return exitOK
	}
	cmd, ok := commands()[args[0]]
	if !ok {
		fmt.Fprintf(stderr, "llmchaos: unknown command %q\n\n", args[0])
		usage(stderr)
		return exitBadInput
	}
	return cmd.run(ctx, args[1:], stdout, stderr)
}

func usage(w io.Writer) {
	fmt.Fprint(w, `llmchaos: chaos and failover testing for apps that depend on LLM providers.

Usage: llmchaos COMMAND [flags] [args]

Commands:
`)
	cmds := commands()
	names := make([]string, 0, len(cmds))
	for n := range cmds {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-9s %s\n", n, cmds[n].summary)
	}
	fmt.Fprint(w, `
Run 'llmchaos COMMAND --help' for a command's flags and an example.
Exit codes: 0 all SLOs held, 1 an SLO was breached, 2 bad input, 3 the harness could not run.
`)
}
