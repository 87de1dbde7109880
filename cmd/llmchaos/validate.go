package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/llmchaos/llmchaos/scenarios"
	"github.com/spf13/cobra"
)

func newValidateCmd() *cobra.Command {
	return &cobra.Command{
		Use:               "validate FILE.yaml|DIR...",
		Short:             "check scenario files without running them",
		Example:           "  llmchaos validate scenarios/",
		ValidArgsFunction: completeScenarioFiles,
		RunE: func(cmd *cobra.Command, args []string) error {
			return result(cmdValidate(cmd.Context(), args, cmd.OutOrStdout(), cmd.ErrOrStderr()))
		},
	}
}

func cmdValidate(_ context.Context, args []string, stdout, stderr io.Writer) int {
	files, err := scenarios.LoadPaths(args...)
	if err != nil {
		fmt.Fprintln(stderr, "llmchaos validate:", err)
		return exitBadInput
	}
	for _, f := range files {
		fmt.Fprintf(stdout, "ok  %s (%s: %d phases, %s, %d SLOs)\n", term(f.Path), term(f.Scenario.Name),
			len(f.Scenario.Timeline.Phases), f.Scenario.Timeline.Total().Round(time.Millisecond), len(f.Scenario.SLOs))
	}
	return exitOK
}
