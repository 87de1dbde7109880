package reports

import (
	"strconv"
	"strings"
	"time"
)

// SchemaSummary is the schema key of summary.json.
const SchemaSummary = "llmchaos.summary/v1"

// Summary is the index of a set of reports (summary.json).
type Summary struct {
	Schema      string         `json:"schema"`
	GeneratedAt time.Time      `json:"generated_at"`
	Totals      Totals         `json:"totals"`
	Scenarios   []SummaryEntry `json:"scenarios"`
	// Shard is set when the set is one shard of a run (llmchaos run --shard K/N): Merge
	// joins the shards' sets and checks that none is missing.
	Shard *ShardInfo `json:"shard,omitempty"`
}

// Totals count the scenarios by verdict.
type Totals struct {
	Scenarios   int `json:"scenarios"`
	Passed      int `json:"passed"`
	Failed      int `json:"failed"`
	Interrupted int `json:"interrupted"`
	// SLOs and Breached count checks over all scenarios.
	SLOs     int `json:"slos"`
	Breached int `json:"breached"`
}

// SummaryEntry is one scenario in the summary.
type SummaryEntry struct {
	Scenario    string  `json:"scenario"`
	Verdict     Verdict `json:"verdict"`
	Interrupted bool    `json:"interrupted,omitempty"`
	// Breached are the expressions of the SLOs that failed.
	Breached []string `json:"breached"`
	// File is the report's file name, relative to summary.json.
	File string `json:"file"`
	// Runs is how many times the scenario ran, and Flaky the expressions of the SLOs
	// whose verdict changed across those runs (both absent for a single run).
	Runs  int      `json:"runs,omitempty"`
	Flaky []string `json:"flaky,omitempty"`
}

// NewSummary indexes reps, in their order, stamped with generatedAt (pass a fixed time
// for reproducible output).
func NewSummary(reps []*Report, generatedAt time.Time) *Summary {
	s := &Summary{Schema: SchemaSummary, GeneratedAt: generatedAt.UTC(), Scenarios: []SummaryEntry{}}
	files := FileNames(reps)
	for i, r := range reps {
		e := SummaryEntry{Scenario: r.Scenario, Verdict: r.Verdict, Interrupted: r.Interrupted,
			Breached: []string{}, File: files[i]}
		for _, b := range r.Breached() {
			e.Breached = append(e.Breached, b.Expr)
		}
		if r.Repeats != nil {
			e.Runs = r.Repeats.Runs
			for _, f := range r.Flaky() {
				e.Flaky = append(e.Flaky, f.Expr)
			}
		}
		s.Totals.Scenarios++
		if r.Passed() {
			s.Totals.Passed++
		} else {
			s.Totals.Failed++
		}
		if r.Interrupted {
			s.Totals.Interrupted++
		}
		s.Totals.SLOs += len(r.SLOs)
		s.Totals.Breached += len(e.Breached)
		s.Scenarios = append(s.Scenarios, e)
	}
	return s
}

// Passed reports whether every scenario passed (and there was at least one).
func (s *Summary) Passed() bool { return s.Totals.Scenarios > 0 && s.Totals.Failed == 0 }

// FileNames returns the JSON file name of each report: its scenario name made safe for a
// file system ("<scenario>.json"), with "-2", "-3", … added when names repeat.
func FileNames(reps []*Report) []string {
	used := map[string]bool{"summary": true}
	out := make([]string, len(reps))
	for i, r := range reps {
		base := Slug(r.Scenario)
		name := base
		for n := 2; used[name]; n++ {
			name = base + "-" + strconv.Itoa(n)
		}
		used[name] = true
		out[i] = name + ".json"
	}
	return out
}

// Slug is s with every character other than letters, digits, '-', '_' and '.' replaced
// by '-'; "scenario" when nothing is left.
func Slug(s string) string {
	var b strings.Builder
	for _, c := range s {
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9', c == '-', c == '_', c == '.':
			b.WriteRune(c)
		default:
			b.WriteByte('-')
		}
	}
	out := strings.Trim(b.String(), ".-")
	if out == "" {
		return "scenario"
	}
	return out
}
