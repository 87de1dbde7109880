package main

import (
	"context"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/llmchaos/llmchaos/scenarios"
)

func cmdList(_ context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlags("list", "[FILE.yaml|DIR...] (default: scenarios/)", "  llmchaos list scenarios/", stderr)
	if code := parseFlags(fs, args, stdout); code >= 0 {
		return code
	}
	paths := fs.Args()
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
		desc, _, _ := strings.Cut(f.Scenario.Description, "\n")
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", f.Scenario.Name, f.Scenario.Timeline.Total(), strings.Join(f.Scenario.Labels, ","), desc)
	}
	tw.Flush()
	return exitOK
}
