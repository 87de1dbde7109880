package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
)

// newFlags returns a FlagSet whose --help prints the usage line, the flags and an example.
func newFlags(name, usageLine, example string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: llmchaos %s %s\n\nFlags:\n", name, usageLine)
		fs.PrintDefaults()
		fmt.Fprintf(fs.Output(), "\nExample:\n%s\n", example)
	}
	return fs
}

// parseFlags parses args; it returns the exit code to stop with, or -1 to go on. A --help
// that was asked for prints the usage and example to stdout (so it can be paged or piped);
// a bad flag prints the problem and the usage to the FlagSet's output (stderr).
func parseFlags(fs *flag.FlagSet, args []string, stdout io.Writer) int {
	stderr := fs.Output()
	var buf bytes.Buffer
	fs.SetOutput(&buf)
	err := fs.Parse(args)
	fs.SetOutput(stderr)
	switch {
	case err == nil:
		return -1
	case errors.Is(err, flag.ErrHelp):
		_, _ = buf.WriteTo(stdout)
		return exitOK
	default:
		_, _ = buf.WriteTo(stderr)
		return exitBadInput
	}
}
