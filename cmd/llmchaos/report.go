package main

import (
	"context"
	"fmt"
	"io"

	"github.com/llmchaos/llmchaos/reports"
	"github.com/spf13/cobra"
)

// reportFlags is what llmchaos report's flags say.
type reportFlags struct{ format, out string }

func newReportCmd() *cobra.Command {
	var f reportFlags
	cmd := &cobra.Command{
		Use:               "report [flags] REPORT.json|DIR...",
		Short:             "render reports (Markdown, HTML, JUnit) from report JSON files",
		Example:           "  llmchaos report chaos-report/ --format markdown >> \"$GITHUB_STEP_SUMMARY\"\n  llmchaos report chaos-report/ -o site/",
		ValidArgsFunction: completeReportPaths,
		RunE: func(cmd *cobra.Command, args []string) error {
			return result(cmdReport(cmd.Context(), &f, args, cmd.OutOrStdout(), cmd.ErrOrStderr()))
		},
	}
	cmd.Flags().StringVarP(&f.format, "format", "f", "markdown", "what to print: markdown, html, junit or json")
	cmd.Flags().StringVarP(&f.out, "out", "o", "", "write every format (JSON, summary, index.html, report.md, junit.xml) into this folder instead of printing one")
	_ = cmd.MarkFlagDirname("out")
	cmd.AddCommand(newReportMergeCmd())
	_ = cmd.RegisterFlagCompletionFunc("format", cobra.FixedCompletions([]string{"markdown", "html", "junit", "json"}, cobra.ShellCompDirectiveNoFileComp))
	return cmd
}

func cmdReport(_ context.Context, f *reportFlags, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprintln(stderr, "llmchaos report: give report JSON files or folders (the --out folder of llmchaos run)")
		return exitBadInput
	}
	reps, err := reports.Load(args...)
	if err != nil {
		fmt.Fprintln(stderr, "llmchaos report:", err)
		return exitBadInput
	}
	if f.out != "" {
		paths, err := reports.WriteAll(f.out, reps)
		if err != nil {
			fmt.Fprintln(stderr, "llmchaos report:", err)
			return exitCannotRun
		}
		for _, p := range paths {
			fmt.Fprintln(stdout, "wrote", p)
		}
		return exitOK
	}
	r, err := reports.RendererFor(f.format)
	if err != nil {
		fmt.Fprintln(stderr, "llmchaos report:", err)
		return exitBadInput
	}
	if err := r.Render(stdout, reps, nil); err != nil {
		fmt.Fprintln(stderr, "llmchaos report:", err)
		return exitCannotRun
	}
	return exitOK
}
