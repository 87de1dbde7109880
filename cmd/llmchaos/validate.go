package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/llmchaos/llmchaos/scenarios"
)

func cmdValidate(_ context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlags("validate", "FILE.yaml|DIR...", "  llmchaos validate scenarios/", stderr)
	if code := parseFlags(fs, args, stdout); code >= 0 {
		return code
	}
	files, err := scenarios.LoadPaths(fs.Args()...)
	if err != nil {
		fmt.Fprintln(stderr, "llmchaos validate:", err)
		return exitBadInput
	}
	for _, f := range files {
		fmt.Fprintf(stdout, "ok  %s (%s: %d phases, %s, %d SLOs)\n", f.Path, f.Scenario.Name,
			len(f.Scenario.Timeline.Phases), f.Scenario.Timeline.Total().Round(time.Millisecond), len(f.Scenario.SLOs))
	}
	return exitOK
}
