package reports

import (
	"fmt"
	"sort"

	"github.com/llmchaos/llmchaos/harness"
)

// unmeasured is Report.Unmeasured: a sentence per real-service upstream, by name.
func unmeasured(kinds map[string]harness.UpstreamKind) []string {
	var names []string
	for name, k := range kinds {
		if k == harness.KindTCP || k == harness.KindHTTP {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	out := make([]string, 0, len(names))
	for _, n := range names {
		out = append(out, fmt.Sprintf("%s (%s) is a real service: no mock journals its attempts, so they count in no amplification or Retry-After figure; its faults are network faults only", n, kinds[n]))
	}
	if len(out) == 0 {
		return nil
	}
	return out
}
