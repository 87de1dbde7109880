package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"
)

const rootExample = `  llmchaos run scenarios/provider-dropout.yaml --out chaos-report
  llmchaos list scenarios/
  llmchaos completion bash > /etc/bash_completion.d/llmchaos`

// newRootCmd returns the llmchaos command with every subcommand, writing to stdout (what
// was asked for, help included) and stderr (problems). Errors are printed by dispatch, not
// by cobra, so each is printed once with its exit code's meaning.
func newRootCmd(stdout, stderr io.Writer) *cobra.Command {
	root := &cobra.Command{
		Use:     "llmchaos",
		Short:   "chaos and failover testing for apps that depend on LLM providers",
		Example: rootExample,
		// Without a command, the usage goes to stdout and the exit code says bad input.
		RunE: func(cmd *cobra.Command, _ []string) error {
			writeHelp(cmd.OutOrStdout(), cmd)
			return exitCode(exitBadInput)
		},
		SilenceErrors:              true,
		SilenceUsage:               true,
		SuggestionsMinimumDistance: 2,
		CompletionOptions:          cobra.CompletionOptions{DisableDefaultCmd: true},
	}
	root.SetOut(stdout)
	root.SetErr(stderr)
	root.SetHelpFunc(func(cmd *cobra.Command, _ []string) { writeHelp(cmd.OutOrStdout(), cmd) })
	root.SetUsageFunc(func(cmd *cobra.Command) error { writeHelp(cmd.ErrOrStderr(), cmd); return nil })
	root.SetFlagErrorFunc(flagError)
	root.AddCommand(newRunCmd(), newMockCmd(), newReportCmd(), newDiffCmd(), newListCmd(),
		newValidateCmd(), newInitCmd(), newSchemaCmd(), newVersionCmd(), newCompletionCmd())
	root.InitDefaultHelpCmd()
	for _, c := range root.Commands() {
		if c.Name() == "help" {
			c.Short = "print a command's usage, flags and an example"
			c.Example = "  llmchaos help run"
		}
	}
	return root
}

// writeHelp prints cmd's usage: for the root the commands and the exit codes, for a
// subcommand its usage line, its flags and an example.
func writeHelp(w io.Writer, cmd *cobra.Command) {
	if !cmd.HasParent() {
		fmt.Fprintf(w, "llmchaos: %s.\n\nUsage: llmchaos COMMAND [flags] [args]\n\nCommands:\n", cmd.Short)
		for _, c := range cmd.Commands() {
			if c.IsAvailableCommand() || c.Name() == "help" {
				fmt.Fprintf(w, "  %-10s %s\n", c.Name(), c.Short)
			}
		}
		fmt.Fprintf(w, "\nExample:\n%s\n", cmd.Example)
		fmt.Fprint(w, `
Flags go anywhere on the line, as --flag value or --flag=value.
Run 'llmchaos COMMAND --help' for a command's flags and an example.
Exit codes: 0 all SLOs held, 1 an SLO was breached, 2 bad input, 3 the harness could not run.
`)
		return
	}
	fmt.Fprintf(w, "Usage: %s\n", cmd.UseLine())
	if cmd.Long != "" {
		fmt.Fprintf(w, "\n%s\n", strings.TrimSpace(cmd.Long))
	} else if cmd.Short != "" {
		fmt.Fprintf(w, "\n%s.\n", strings.ToUpper(cmd.Short[:1])+cmd.Short[1:])
	}
	if cmd.HasAvailableLocalFlags() {
		fmt.Fprintf(w, "\nFlags:\n%s", cmd.LocalFlags().FlagUsages())
	}
	if cmd.Example != "" {
		fmt.Fprintf(w, "\nExample:\n%s\n", cmd.Example)
	}
}
