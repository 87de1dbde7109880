package main

import (
	"context"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/llmchaos/llmchaos/scenarios"
	"github.com/spf13/cobra"
)

func newListCmd() *cobra.Command {
	return &cobra.Command{
		Use:               "list [FILE.yaml|DIR...]",
		Short:             "list the scenarios in files or folders (default: scenarios/)",
		Example:           "  llmchaos list scenarios/",
		ValidArgsFunction: completeScenarioFiles,
		RunE: func(cmd *cobra.Command, args []string) error {
			return result(cmdList(cmd.Context(), args, cmd.OutOrStdout(), cmd.ErrOrStderr()))
		},
	}
}

func cmdList(_ context.Context, paths []string, stdout, stderr io.Writer) int {
	if len(paths) == 0 {
		paths = []string{"scenarios"}
	}
	files, err := scenarios.LoadPaths(paths...)
	if err != nil {
		fmt.Fprintln(stderr, "llmchaos list:", err)
		return exitBadInput
	}
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "SCENARIO\tDURATION\tLABELS\tDESCRIPTION")
	for _, f := range files {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", term(f.Scenario.Name), f.Scenario.Timeline.Total().Round(time.Millisecond),
			term(strings.Join(f.Scenario.Labels, ",")), term(firstSentence(f.Scenario.Description)))
	}
	tw.Flush()
	return exitOK
}

// firstSentence is the description's first sentence (or line), for a one-line listing.
func firstSentence(desc string) string {
	desc, _, _ = strings.Cut(strings.TrimSpace(desc), "\n")
	if i := strings.Index(desc, ". "); i >= 0 {
		return desc[:i+1]
	}
	return desc
}
