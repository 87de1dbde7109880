package slo

import (
	"fmt"

	"github.com/onsi/ginkgo/v2"
	"github.com/onsi/ginkgo/v2/types"
)

// ReportEntryPrefix starts the name of the Ginkgo report entry a matcher adds per SLO
// ("slo: ttf <= 2s"), so tools reading `ginkgo --json-report` can pick them out.
const ReportEntryPrefix = "slo: "

// ReportEntry is the value of the Ginkgo report entry for one checked SLO: in `ginkgo
// --json-report` it is the entry's Value.AsJSON, {"expr", "observed", "pass"}; in the
// JUnit report and the console, its String.
type ReportEntry struct {
	Expr     string `json:"expr"`
	Observed string `json:"observed"`
	Pass     bool   `json:"pass"`
}

// String reads "ttf <= 2s: observed 1.2s, pass".
func (e ReportEntry) String() string {
	word := "pass"
	if !e.Pass {
		word = "FAIL"
	}
	return fmt.Sprintf("%s: observed %s, %s", e.Expr, e.Observed, word)
}

// addReportEntries adds a Ginkgo report entry per check of v to the spec running now;
// outside a running Ginkgo spec (a plain go test with gomega.NewWithT) it does nothing.
// An SLO already entered with the same value in this spec is not entered again, so a
// spec that checks the same SLOs with several matchers gets one entry per SLO.
func addReportEntries(v Verdict) {
	spec := ginkgo.CurrentSpecReport()
	if spec.LeafNodeType == types.NodeTypeInvalid || spec.State != types.SpecStateInvalid {
		return // no spec is running
	}
	seen := map[string]bool{}
	for _, e := range spec.ReportEntries {
		seen[e.Name+"\x00"+e.StringRepresentation()] = true
	}
	for _, c := range v.Checks {
		entry := ReportEntry{Expr: c.Expr, Observed: c.Observed, Pass: c.Pass}
		name := ReportEntryPrefix + c.Expr
		if seen[name+"\x00"+entry.String()] {
			continue
		}
		seen[name+"\x00"+entry.String()] = true
		ginkgo.AddReportEntry(name, entry, ginkgo.ReportEntryVisibilityFailureOrVerbose)
	}
}
