package runner

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/llmchaos/llmchaos/scenarios"
)

// DefaultShardStartup is what Shard adds to a file's timeline for its start-up (the app,
// the proxies, the mocks, readiness) when it balances shards by expected duration.
const DefaultShardStartup = 2 * time.Second

// MaxShards is the most shards a set may be split into.
const MaxShards = 1000

// Shard is share K of N of a set of files (1 <= K <= N): Plan.Shard. The zero Shard is
// the whole set.
type Shard struct {
	K, N int
}

// ParseShard reads "K/N" (llmchaos run --shard 2/3).
func ParseShard(s string) (Shard, error) {
	k, n, ok := strings.Cut(s, "/")
	sh := Shard{}
	var errK, errN error
	sh.K, errK = strconv.Atoi(strings.TrimSpace(k))
	sh.N, errN = strconv.Atoi(strings.TrimSpace(n))
	if !ok || errK != nil || errN != nil {
		return Shard{}, fmt.Errorf("shard %q: write K/N, e.g. 2/3 for the second of three shards", s)
	}
	return sh, sh.Validate()
}

// Validate says what is wrong with s.
func (s Shard) Validate() error {
	if s == (Shard{}) {
		return nil
	}
	if s.N < 1 || s.N > MaxShards || s.K < 1 || s.K > s.N {
		return fmt.Errorf("shard %d/%d: give K/N with 1 <= K <= N <= %d (runner.MaxShards)", s.K, s.N, MaxShards)
	}
	return nil
}

// String is "K/N"; "" for the whole set.
func (s Shard) String() string {
	if s == (Shard{}) {
		return ""
	}
	return fmt.Sprintf("%d/%d", s.K, s.N)
}

// ExpectedDuration is how long a run of f is expected to take: its timeline plus
// DefaultShardStartup.
func ExpectedDuration(f *scenarios.File) time.Duration {
	return f.Scenario.Timeline.Total() + DefaultShardStartup
}

// Of is shard s of files, in the order of files: the files are dealt longest first
// (ExpectedDuration; ties by scenario name, then path) each onto the shard with the least
// expected time so far (ties to the lowest shard), so the N shards of a set are disjoint,
// cover it, are balanced by duration rather than by count, and are the same on every
// machine for the same files. The zero Shard is every file.
func (s Shard) Of(files []*scenarios.File) []*scenarios.File {
	if s == (Shard{}) {
		return files
	}
	owner := s.assign(files)
	var out []*scenarios.File
	for i, f := range files {
		if owner[i] == s.K-1 {
			out = append(out, f)
		}
	}
	return out
}

// assign is each file's shard (0-based), by the greedy longest-first rule of Of.
func (s Shard) assign(files []*scenarios.File) []int {
	order := make([]int, len(files))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int {
		fa, fb := files[a], files[b]
		if c := cmp.Compare(ExpectedDuration(fb), ExpectedDuration(fa)); c != 0 {
			return c
		}
		if c := strings.Compare(fa.Scenario.Name, fb.Scenario.Name); c != 0 {
			return c
		}
		return strings.Compare(fa.Path, fb.Path)
	})
	load := make([]time.Duration, s.N)
	owner := make([]int, len(files))
	for _, i := range order {
		least := 0
		for k := range load {
			if load[k] < load[least] {
				least = k
			}
		}
		owner[i] = least
		load[least] += ExpectedDuration(files[i])
	}
	return owner
}
