package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/llmchaos/llmchaos/scenarios/starter"
)

const initExample = `  llmchaos init chaos/ --app-cmd ./bin/myapp --env OPENAI_BASE_URL=primary:/v1 \
      --env ANTHROPIC_BASE_URL=secondary --env OTEL_EXPORTER_OTLP_ENDPOINT=collector --env PORT=addr
  llmchaos init chaos/ --store --env HISTORY_URL=store ...   # adds the store outage
  llmchaos init chaos/                                       # on a terminal: asks`

// initFlags is what llmchaos init's flags say.
type initFlags struct {
	appCmd    string
	env       []string
	store     bool
	readyPath string
	path      string
}

func newInitCmd() *cobra.Command {
	var f initFlags
	cmd := &cobra.Command{
		Use:   "init DIR",
		Short: "write a starter scenario set for your own app into DIR",
		Long: `Write a starter scenario set for your own app into DIR: provider dropout, rate-limit
storm, stream truncation, telemetry overload (with a collector bound) and a store outage
(with --store). --env NAME=UPSTREAM[:SUFFIX] says which env var of your app carries an
upstream's URL (upstreams: primary (openai), secondary (anthropic), collector (otlp),
store); NAME=addr carries the address your app must listen on. On a terminal, what the
flags leave out is asked for.`,
		Example: initExample,
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return result(cmdInit(args[0], &f, cmd.InOrStdin(), cmd.OutOrStdout(), cmd.ErrOrStderr()))
		},
	}
	fs := cmd.Flags()
	fs.StringVar(&f.appCmd, "app-cmd", "", "command that starts your app (split on spaces)")
	fs.StringArrayVar(&f.env, "env", nil, "NAME=UPSTREAM[:SUFFIX] or NAME=addr, once per env var your app reads")
	fs.BoolVar(&f.store, "store", false, "add the store-outage scenario (needs --env NAME=store)")
	fs.StringVar(&f.readyPath, "ready-path", starter.DefaultReadyPath, "path your app answers 2xx on once it is ready")
	fs.StringVar(&f.path, "path", starter.DefaultRequestPath, "path of your app's OpenAI-style chat endpoint")
	return cmd
}

func cmdInit(dir string, f *initFlags, stdin io.Reader, stdout, stderr io.Writer) int {
	if f.appCmd == "" && isTerminalReader(stdin) {
		askInit(f, bufio.NewReader(stdin), stdout)
	}
	c := starter.Config{AppCommand: strings.Fields(f.appCmd), Env: map[string]starter.Binding{}, Store: f.store,
		ReadyPath: f.readyPath, RequestPath: f.path}
	for _, e := range f.env {
		name, b, err := starter.ParseBinding(e)
		if err != nil {
			fmt.Fprintln(stderr, "llmchaos init:", err)
			return exitBadInput
		}
		c.Env[name] = b
	}
	paths, err := starter.Write(dir, c)
	for _, p := range paths {
		fmt.Fprintln(stdout, "wrote", p)
	}
	if err != nil {
		fmt.Fprintln(stderr, "llmchaos init:", err)
		return exitBadInput
	}
	fmt.Fprintf(stdout, "\nnext: llmchaos validate %s && llmchaos run %s\n", dir, dir)
	return exitOK
}

// askInit asks for the app command and one env var per upstream, on a terminal.
func askInit(f *initFlags, in *bufio.Reader, out io.Writer) {
	f.appCmd = ask(in, out, "Command that starts your app (e.g. ./bin/myapp): ")
	for _, up := range starter.UpstreamNames() {
		name := ask(in, out, fmt.Sprintf("Env var your app reads the %s upstream's URL from (empty: none): ", up))
		if name == "" {
			continue
		}
		suffix := ask(in, out, fmt.Sprintf("  path after the URL in %s (e.g. /v1; empty: none): ", name))
		f.env = append(f.env, name+"="+up+optional(":", suffix))
		if up == "store" {
			f.store = true
		}
	}
	if name := ask(in, out, "Env var your app reads its listen address (host:port) from (empty: none): "); name != "" {
		f.env = append(f.env, name+"=addr")
	}
}

func ask(in *bufio.Reader, out io.Writer, prompt string) string {
	fmt.Fprint(out, prompt)
	line, _ := in.ReadString('\n')
	return strings.TrimSpace(line)
}

func optional(prefix, s string) string {
	if s == "" {
		return ""
	}
	return prefix + s
}

// isTerminalReader reports whether r is a terminal (never in tests: stdin is a pipe or a buffer).
func isTerminalReader(r io.Reader) bool {
	f, ok := r.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}
