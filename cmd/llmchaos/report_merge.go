package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/llmchaos/llmchaos/reports"
	"github.com/spf13/cobra"
)

const reportMergeExample = `  llmchaos report merge shard-1/ shard-2/ shard-3/ --out chaos-report`

func newReportMergeCmd() *cobra.Command {
	var out string
	cmd := &cobra.Command{
		Use:   "merge [flags] DIR... --out DIR",
		Short: "join the report folders of llmchaos run --shard K/N into one report set",
		Long: `Joins the --out folders of the N shards of one run (llmchaos run --shard K/N) into one
report set: every scenario's JSON, summary.json, index.html, report.md and one junit.xml.
Exit 2 when the folders are not exactly the N shards of one set (a shard or a scenario
missing, or given twice: the merged report would not be the run's); otherwise exit 1 when
a scenario failed, 0 when every one passed, as llmchaos run would have.`,
		Example:           reportMergeExample,
		ValidArgsFunction: completeReportPaths,
		RunE: func(cmd *cobra.Command, args []string) error {
			return result(cmdReportMerge(cmd.Context(), out, args, cmd.OutOrStdout(), cmd.ErrOrStderr()))
		},
	}
	cmd.Flags().StringVarP(&out, "out", "o", "", "folder for the merged report set (required)")
	_ = cmd.MarkFlagDirname("out")
	return cmd
}

func cmdReportMerge(_ context.Context, out string, dirs []string, stdout, stderr io.Writer) int {
	if len(dirs) == 0 || out == "" {
		fmt.Fprintln(stderr, "llmchaos report merge: give the shards' report folders and --out DIR, e.g. llmchaos report merge shard-1/ shard-2/ --out chaos-report")
		return exitBadInput
	}
	// A *reports.MergeError (the folders are not one set) or an unreadable folder: the
	// input is wrong, not the run.
	reps, err := reports.Merge(dirs...)
	if err != nil {
		fmt.Fprintln(stderr, "llmchaos report merge:", err)
		return exitBadInput
	}
	paths, err := reports.WriteAll(out, reps)
	if err != nil {
		fmt.Fprintln(stderr, "llmchaos report merge:", err)
		return exitCannotRun
	}
	sum := reports.NewSummary(reps, time.Time{})
	fmt.Fprintf(stdout, "merged %d scenarios from %d folders: %d passed, %d failed\nreports: %s (open %s)\n",
		sum.Totals.Scenarios, len(dirs), sum.Totals.Passed, sum.Totals.Failed, out, firstWith(paths, reports.FileHTML))
	if !sum.Passed() && sum.Totals.Scenarios > 0 {
		return exitBreached
	}
	return exitOK
}
