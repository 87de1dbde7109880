package reports

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
)

// ShardInfo is set on the summary.json of one shard of a run (llmchaos run --shard K/N):
// which share it is and every scenario of the whole set, so that Merge can tell a
// missing shard or scenario from a complete set.
type ShardInfo struct {
	K int `json:"k"`
	N int `json:"n"`
	// Scenarios are the names of every scenario of the whole set (all N shards), in the
	// set's order.
	Scenarios []string `json:"scenarios"`
}

// WithShard marks the report set as shard info.K of info.N (summary.json "shard").
func WithShard(info ShardInfo) WriteOption {
	return func(c *writeConfig) { c.shard = &info }
}

// MergeError is why shards' report sets do not join into one: a shard or a scenario is
// missing, given twice, or the shards are of different sets.
type MergeError struct{ Msg string }

func (e *MergeError) Error() string { return "merge reports: " + e.Msg }

func mergeErr(format string, args ...any) error {
	return &MergeError{Msg: fmt.Sprintf(format, args...)}
}

// mergePart is one folder's summary and reports.
type mergePart struct {
	dir  string
	sum  *Summary
	reps []*Report
}

// Merge joins the report sets in dirs (each the --out folder of one shard, llmchaos run
// --shard K/N) into one set, in the order of the whole set (ShardInfo.Scenarios). It
// fails with a *MergeError when the folders are not exactly the N shards of one set:
// a shard missing or given twice, shards of different sets, a scenario missing from
// every shard or in two of them. Folders written without --shard are joined in the
// order given, checked for duplicates only (nothing says what would be missing).
func Merge(dirs ...string) ([]*Report, error) {
	if len(dirs) == 0 {
		return nil, mergeErr("give the report folders of the shards")
	}
	var parts []mergePart
	for _, d := range dirs {
		p, err := readPart(d)
		if err != nil {
			return nil, err
		}
		parts = append(parts, p)
	}
	if err := checkShards(parts); err != nil {
		return nil, err
	}
	var all []*Report
	from := map[string]string{}
	for _, p := range parts {
		for _, r := range p.reps {
			if d, dup := from[r.Scenario]; dup {
				return nil, mergeErr("scenario %q is in %s and in %s: each scenario must be in one shard (were two runs' folders given?)", r.Scenario, d, p.dir)
			}
			from[r.Scenario] = p.dir
			all = append(all, r)
		}
	}
	info := parts[0].sum.Shard
	if info == nil {
		return all, nil
	}
	var missing []string
	for _, s := range info.Scenarios {
		if _, ok := from[s]; !ok {
			missing = append(missing, s)
		}
	}
	if len(missing) > 0 {
		return nil, mergeErr("scenario(s) %s of the set are in no shard's reports (did a shard stop early?)", strings.Join(missing, ", "))
	}
	for s, d := range from {
		if !slices.Contains(info.Scenarios, s) {
			return nil, mergeErr("scenario %q (in %s) is not in the set the shards were cut from", s, d)
		}
	}
	slices.SortStableFunc(all, func(a, b *Report) int {
		return slices.Index(info.Scenarios, a.Scenario) - slices.Index(info.Scenarios, b.Scenario)
	})
	return all, nil
}

// readPart reads dir's summary.json and every report it lists.
func readPart(dir string) (mergePart, error) {
	p := mergePart{dir: dir}
	b, err := readBounded(filepath.Join(dir, FileSummary))
	if err != nil {
		return p, mergeErr("%s has no readable %s (give the --out folder of llmchaos run): %v", dir, FileSummary, err)
	}
	if err := json.Unmarshal(b, &p.sum); err != nil || p.sum == nil || p.sum.Schema != SchemaSummary {
		return p, mergeErr("%s/%s is not a summary (schema %q)", dir, FileSummary, SchemaSummary)
	}
	names, err := manifestNames(dir)
	if err != nil {
		return p, err
	}
	for _, n := range names {
		r, err := ReadReport(filepath.Join(dir, n))
		if err != nil {
			return p, err
		}
		p.reps = append(p.reps, r)
	}
	return p, nil
}

// checkShards checks that parts are the N shards of one set, each once, or all unsharded.
func checkShards(parts []mergePart) error {
	first := parts[0].sum.Shard
	seen := map[int]string{}
	for _, p := range parts {
		s := p.sum.Shard
		switch {
		case (s == nil) != (first == nil):
			return mergeErr("%s and %s: one is a shard (--shard K/N) and the other is not", parts[0].dir, p.dir)
		case s == nil:
			continue
		case s.N != first.N || !slices.Equal(s.Scenarios, first.Scenarios):
			return mergeErr("%s is shard %d/%d of another set than %s (shard %d/%d): run every shard with the same files and the same N", p.dir, s.K, s.N, parts[0].dir, first.K, first.N)
		}
		if d, dup := seen[s.K]; dup {
			return mergeErr("shard %d/%d is given twice: %s and %s", s.K, s.N, d, p.dir)
		}
		seen[s.K] = p.dir
	}
	if first == nil {
		return nil
	}
	var missing []string
	for k := 1; k <= first.N; k++ {
		if _, ok := seen[k]; !ok {
			missing = append(missing, fmt.Sprintf("%d/%d", k, first.N))
		}
	}
	if len(missing) > 0 {
		return mergeErr("shard(s) %s missing: give the report folder of every shard", strings.Join(missing, ", "))
	}
	return nil
}
