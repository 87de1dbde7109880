package main

import (
	"context"
	"fmt"
	"io"

	"github.com/llmchaos/llmchaos/reports"
)

func cmdReport(_ context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlags("report", "[flags] REPORT.json|DIR...",
		"  llmchaos report --format markdown chaos-report/ >> \"$GITHUB_STEP_SUMMARY\"\n  llmchaos report --out site/ chaos-report/", stderr)
	format := fs.String("format", "markdown", "what to print: markdown, html, junit or json")
	out := fs.String("out", "", "write every format (JSON, summary, index.html, report.md, junit.xml) into this folder instead of printing one")
	if code := parseFlags(fs, args, stdout); code >= 0 {
		return code
	}
	if fs.NArg() == 0 {
		fmt.Fprintln(stderr, "llmchaos report: give report JSON files or folders (the --out folder of llmchaos run)")
		return exitBadInput
	}
	reps, err := reports.Load(fs.Args()...)
	if err != nil {
		fmt.Fprintln(stderr, "llmchaos report:", err)
		return exitBadInput
	}
	if *out != "" {
		paths, err := reports.WriteAll(*out, reps)
		if err != nil {
			fmt.Fprintln(stderr, "llmchaos report:", err)
			return exitCannotRun
		}
		for _, p := range paths {
			fmt.Fprintln(stdout, "wrote", p)
		}
		return exitOK
	}
	r, err := reports.RendererFor(*format)
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
