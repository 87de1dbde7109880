package main

import (
	"errors"
	"fmt"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// flagError is the commands' FlagErrorFunc: an unknown flag gets the command's closest
// flags as a "did you mean" (cobra suggests commands only). dispatch prints the error
// and exits 2.
func flagError(cmd *cobra.Command, err error) error {
	var ne *pflag.NotExistError
	if !errors.As(err, &ne) || ne.GetSpecifiedShortnames() != "" {
		return err
	}
	suggestions := suggestFlags(cmd, ne.GetSpecifiedName())
	if len(suggestions) == 0 {
		return err
	}
	return fmt.Errorf("%w\n\nDid you mean this?\n\t%s", err, strings.Join(suggestions, "\n\t"))
}

// suggestFlags returns cmd's visible flags (as --name) within cmd's
// SuggestionsMinimumDistance edits of typed, or that start with it, in definition order.
func suggestFlags(cmd *cobra.Command, typed string) []string {
	maxDist := cmd.Root().SuggestionsMinimumDistance
	typed = strings.ToLower(typed)
	var out []string
	cmd.Flags().VisitAll(func(f *pflag.Flag) {
		if f.Hidden {
			return
		}
		name := strings.ToLower(f.Name)
		if levenshtein(typed, name) <= maxDist || (len(typed) >= 2 && strings.HasPrefix(name, typed)) {
			out = append(out, "--"+f.Name)
		}
	})
	return out
}

// levenshtein is the edit distance between a and b (insertions, deletions, substitutions).
func levenshtein(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// checkSingleDashFlags refuses a long flag written with one dash (-out, -label=x): Go's
// flag package, which the CLI used before cobra, read those, while pflag reads -out as
// -o with the value "ut". An error says to write two dashes, instead of a silent
// misreading.
func checkSingleDashFlags(root *cobra.Command, args []string) error {
	cmd, _, err := root.Find(args)
	if err != nil {
		return nil // an unknown command: Execute reports it
	}
	for _, a := range args {
		if a == "--" {
			break
		}
		if len(a) < 3 || a[0] != '-' || a[1] == '-' {
			continue
		}
		name, _, _ := strings.Cut(a[1:], "=")
		if name == "help" || cmd.Flags().Lookup(name) != nil {
			return fmt.Errorf("%s: %s: a long flag takes two dashes: --%s (one dash is for the short forms, like -o)", cmd.CommandPath(), a, a[1:])
		}
	}
	return nil
}
