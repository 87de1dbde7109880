package main

import (
	"context"
	"fmt"
	"io"

	"github.com/llmchaos/llmchaos/reports"
	"github.com/spf13/cobra"
)

func newDiffCmd() *cobra.Command {
	th := reports.DefaultThresholds()
	var format string
	cmd := &cobra.Command{
		Use:               "diff [flags] BASE NEW",
		Short:             "compare two reports and flag regressions",
		Example:           "  llmchaos diff baseline-report/ chaos-report/   # exit 1 when NEW regressed\n  llmchaos diff baseline-report/ chaos-report/ -f markdown >> \"$GITHUB_STEP_SUMMARY\"",
		ValidArgsFunction: completeReportPaths,
		RunE: func(cmd *cobra.Command, args []string) error {
			return result(cmdDiff(cmd.Context(), args, format, th, cmd.OutOrStdout(), cmd.ErrOrStderr()))
		},
	}
	fs := cmd.Flags()
	fs.StringVarP(&format, "format", "f", "text", "text or markdown")
	fs.Float64Var(&th.TTFRel, "ttf-rel", th.TTFRel, "relative ttf rise that counts as a regression (0.5 = +50%)")
	fs.DurationVar(&th.TTFAbs, "ttf-abs", th.TTFAbs, "absolute ttf rise that must also be exceeded")
	fs.Float64Var(&th.FailbackRel, "failback-rel", th.FailbackRel, "relative failback rise that counts as a regression")
	fs.DurationVar(&th.FailbackAbs, "failback-abs", th.FailbackAbs, "absolute failback rise that must also be exceeded")
	fs.Float64Var(&th.AvailabilityDrop, "availability-drop", th.AvailabilityDrop, "availability drop in any phase that counts as a regression (0.01 = one point)")
	fs.Float64Var(&th.AmplificationRise, "amplification-rise", th.AmplificationRise, "amplification rise that counts as a regression")
	_ = cmd.RegisterFlagCompletionFunc("format", cobra.FixedCompletions([]string{"text", "markdown"}, cobra.ShellCompDirectiveNoFileComp))
	return cmd
}

func cmdDiff(_ context.Context, args []string, format string, th reports.Thresholds, stdout, stderr io.Writer) int {
	if len(args) != 2 {
		fmt.Fprintln(stderr, "llmchaos diff: want two arguments, BASE and NEW (report files or folders)")
		return exitBadInput
	}
	if err := th.Validate(); err != nil {
		fmt.Fprintln(stderr, "llmchaos diff:", err)
		return exitBadInput
	}
	base, err := reports.Load(args[0])
	if err != nil {
		fmt.Fprintln(stderr, "llmchaos diff: base:", err)
		return exitBadInput
	}
	next, err := reports.Load(args[1])
	if err != nil {
		fmt.Fprintln(stderr, "llmchaos diff: new:", err)
		return exitBadInput
	}
	d := reports.Diff(base, next, th)
	switch format {
	case "text":
		err = d.WriteText(stdout)
	case "markdown", "md":
		err = d.WriteMarkdown(stdout)
	default:
		fmt.Fprintf(stderr, "llmchaos diff: unknown --format %q (text or markdown)\n", format)
		return exitBadInput
	}
	if err != nil {
		fmt.Fprintln(stderr, "llmchaos diff:", err)
		return exitCannotRun
	}
	if d.Regressed() {
		return exitBreached
	}
	return exitOK
}
