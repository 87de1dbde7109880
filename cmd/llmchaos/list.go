package main

import (
	"context"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

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
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", f.Scenario.Name, f.Scenario.Timeline.Total().Round(time.Millisecond),
			strings.Join(f.Scenario.Labels, ","), firstSentence(f.Scenario.Description))
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
