package main

import (
	"context"
	"fmt"
	"io"

	"github.com/llmchaos/llmchaos/reports"
)

func cmdDiff(_ context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlags("diff", "[flags] BASE NEW",
		"  llmchaos diff baseline-report/ chaos-report/   # exit 1 when NEW regressed", stderr)
	th := reports.DefaultThresholds()
	format := fs.String("format", "text", "text or markdown")
	fs.Float64Var(&th.TTFRel, "ttf-rel", th.TTFRel, "relative ttf rise that counts as a regression (0.5 = +50%)")
	fs.DurationVar(&th.TTFAbs, "ttf-abs", th.TTFAbs, "absolute ttf rise that must also be exceeded")
	fs.Float64Var(&th.FailbackRel, "failback-rel", th.FailbackRel, "relative failback rise that counts as a regression")
	fs.DurationVar(&th.FailbackAbs, "failback-abs", th.FailbackAbs, "absolute failback rise that must also be exceeded")
	fs.Float64Var(&th.AvailabilityDrop, "availability-drop", th.AvailabilityDrop, "availability drop in any phase that counts as a regression (0.01 = one point)")
	fs.Float64Var(&th.AmplificationRise, "amplification-rise", th.AmplificationRise, "amplification rise that counts as a regression")
	if code := parseFlags(fs, args, stdout); code >= 0 {
		return code
	}
	if fs.NArg() != 2 {
		fmt.Fprintln(stderr, "llmchaos diff: want two arguments, BASE and NEW (report files or folders)")
		return exitBadInput
	}
	base, err := reports.Load(fs.Arg(0))
	if err != nil {
		fmt.Fprintln(stderr, "llmchaos diff: base:", err)
		return exitBadInput
	}
	next, err := reports.Load(fs.Arg(1))
	if err != nil {
		fmt.Fprintln(stderr, "llmchaos diff: new:", err)
		return exitBadInput
	}
	d := reports.Diff(base, next, th)
	switch *format {
	case "text":
		err = d.WriteText(stdout)
	case "markdown", "md":
		err = d.WriteMarkdown(stdout)
	default:
		fmt.Fprintf(stderr, "llmchaos diff: unknown --format %q (text or markdown)\n", *format)
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
