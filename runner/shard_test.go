package runner

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/llmchaos/llmchaos/harness"
	"github.com/llmchaos/llmchaos/scenarios"
)

// shardTestFiles are files named s0..s(n-1) whose timelines last the given seconds.
func shardTestFiles(secs ...int) []*scenarios.File {
	var files []*scenarios.File
	for i, s := range secs {
		files = append(files, &scenarios.File{Path: fmt.Sprintf("s%d.yaml", i), Scenario: harness.Scenario{
			Name:     fmt.Sprintf("s%d", i),
			Timeline: harness.Timeline{Phases: []harness.Phase{{Name: "p", Duration: time.Duration(s) * time.Second}}},
		}})
	}
	return files
}

func names(files []*scenarios.File) []string {
	var out []string
	for _, f := range files {
		out = append(out, f.Scenario.Name)
	}
	return out
}

// TestShardsCoverBalancedByDuration: the shards of a set are disjoint and cover it, in
// the set's order, and are balanced by expected duration, not by count: one long file
// gets a shard to itself. The count-based split (the negative control) is not balanced.
func TestShardsCoverBalancedByDuration(t *testing.T) {
	files := shardTestFiles(30, 5, 5, 5, 5, 5, 5, 10, 10)
	seen := map[string]int{}
	var loads []time.Duration
	for k := 1; k <= 3; k++ {
		part := Shard{K: k, N: 3}.Of(files)
		var load time.Duration
		last := -1
		for _, f := range part {
			seen[f.Scenario.Name]++
			i := slices.Index(files, f)
			if i < last {
				t.Errorf("shard %d: %v is not in the set's order", k, names(part))
			}
			last = i
			load += ExpectedDuration(f)
		}
		loads = append(loads, load)
	}
	if len(seen) != len(files) {
		t.Fatalf("the shards cover %d of %d files: %v", len(seen), len(files), seen)
	}
	for n, c := range seen {
		if c != 1 {
			t.Errorf("%s is in %d shards", n, c)
		}
	}
	if got := names(Shard{K: 1, N: 3}.Of(files)); !slices.Equal(got, []string{"s0"}) {
		t.Errorf("shard 1/3 is %v: want the 30 s file alone", got)
	}
	spread := slices.Max(loads) - slices.Min(loads)
	if spread > 10*time.Second {
		t.Errorf("shard loads %v: spread %s", loads, spread)
	}
	// Negative control: thirds by count put the 30 s file with two others.
	byCount := []time.Duration{0, 0, 0}
	for i, f := range files {
		byCount[i*3/len(files)] += ExpectedDuration(f)
	}
	if slices.Max(byCount)-slices.Min(byCount) <= spread {
		t.Errorf("the count split %v is as balanced as the duration split %v", byCount, loads)
	}
}

// TestShardIsDeterministic: the same files in another order make the same shards, and
// equal durations are dealt by name.
func TestShardIsDeterministic(t *testing.T) {
	files := shardTestFiles(5, 5, 5, 5)
	rev := slices.Clone(files)
	slices.Reverse(rev)
	for k := 1; k <= 2; k++ {
		a, b := names(Shard{K: k, N: 2}.Of(files)), names(Shard{K: k, N: 2}.Of(rev))
		slices.Sort(a)
		slices.Sort(b)
		if !slices.Equal(a, b) {
			t.Errorf("shard %d/2: %v from the set, %v from it reversed", k, a, b)
		}
	}
	if got := names(Shard{K: 1, N: 2}.Of(files)); !slices.Equal(got, []string{"s0", "s2"}) {
		t.Errorf("shard 1/2 of four equal files is %v: want s0, s2 (dealt by name)", got)
	}
	if got := (Shard{}).Of(files); len(got) != 4 {
		t.Errorf("the zero shard has %d files, want all 4", len(got))
	}
}

func TestParseShard(t *testing.T) {
	s, err := ParseShard("2/3")
	if want := (Shard{K: 2, N: 3}); err != nil || s != want || s.String() != "2/3" {
		t.Fatalf("2/3: %+v, %v", s, err)
	}
	for _, bad := range []string{"", "3", "0/3", "4/3", "1/0", "a/b", "-1/2", "1/1001"} {
		if _, err := ParseShard(bad); err == nil {
			t.Errorf("ParseShard(%q) accepted", bad)
		}
	}
}
