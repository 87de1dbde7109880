package main

import (
	"context"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// shardTestApp answers 200, except 500 to requests whose path starts with /fail: the
// scenarios named fail-* breach their SLO.
var shardTestApp = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
	if strings.HasPrefix(r.URL.Path, "/fail") {
		http.Error(w, "failing on purpose", http.StatusInternalServerError)
		return
	}
	_, _ = w.Write([]byte("ok"))
})

// summaryVerdicts reads dir's summary.json: scenario → verdict, and the scenarios in order.
func summaryVerdicts(t *testing.T, dir string) (map[string]string, []string) {
	t.Helper()
	var sum struct {
		Scenarios []struct{ Scenario, Verdict string } `json:"scenarios"`
	}
	if err := json.Unmarshal([]byte(readFile(t, filepath.Join(dir, "summary.json"))), &sum); err != nil {
		t.Fatal(err)
	}
	verdicts := map[string]string{}
	var order []string
	for _, s := range sum.Scenarios {
		verdicts[s.Scenario] = s.Verdict
		order = append(order, s.Scenario)
	}
	return verdicts, order
}

// TestShardsMergeIntoTheSingleRun: three `llmchaos run --shard K/3` processes, merged with
// `llmchaos report merge`, give the report set a single run of the same files gives: the
// same scenarios in the same order with the same verdicts, one JUnit with every scenario.
// A missing or repeated shard is exit 2 (the negative controls).
func TestShardsMergeIntoTheSingleRun(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: skipping the end-to-end run of three llmchaos shards and their merge; make test runs it")
	}
	t.Parallel()
	llmchaos := binary(t, "./cmd/llmchaos")
	srv := httptest.NewServer(shardTestApp)
	defer srv.Close()
	dir := t.TempDir()
	var files []string
	for i, d := range []time.Duration{1200, 300, 400, 500, 600, 300, 700} {
		name := fmt.Sprintf("shard-%d", i)
		if i%3 == 1 {
			name = fmt.Sprintf("fail-%d", i)
		}
		files = append(files, writeNamedURLScenario(t, dir, name, srv.URL, d*time.Millisecond))
	}
	var wg sync.WaitGroup
	codes := make([]int, 3)
	outs := make([]string, 3)
	for k := range 3 {
		out := filepath.Join(dir, fmt.Sprintf("shard%d", k+1))
		outs[k] = out
		wg.Go(func() {
			cmd := exec.Command(llmchaos, append([]string{"run", "--shard", fmt.Sprintf("%d/3", k+1), "--progress", "off", "--out", out}, files...)...)
			b, err := cmd.CombinedOutput()
			codes[k] = cmd.ProcessState.ExitCode()
			if err != nil && codes[k] != exitBreached {
				t.Errorf("shard %d/3: %v\n%s", k+1, err, b)
			}
		})
	}
	wg.Wait()
	single := filepath.Join(dir, "single")
	singleCode, _, stderr := cli(context.Background(), append([]string{"run", "--progress", "off", "--out", single}, files...)...)
	if singleCode != exitBreached {
		t.Fatalf("single run: exit %d, want 1\n%s", singleCode, stderr)
	}
	shardNames := map[string]bool{}
	for k, out := range outs {
		v, order := summaryVerdicts(t, out)
		if len(v) == 0 || len(v) == len(files) {
			t.Errorf("shard %d ran %d of %d files: want a share", k+1, len(v), len(files))
		}
		for _, n := range order {
			shardNames[n] = true
		}
	}
	if len(shardNames) != len(files) {
		t.Errorf("the shards ran %d distinct scenarios, want %d", len(shardNames), len(files))
	}

	merged := filepath.Join(dir, "merged")
	code, stdout, stderr := cli(context.Background(), "report", "merge", outs[2], outs[0], outs[1], "--out", merged)
	if code != exitBreached || !strings.Contains(stdout, fmt.Sprintf("merged %d scenarios from 3 folders", len(files))) {
		t.Fatalf("merge: exit %d, want 1 (a scenario failed)\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
	wantV, wantOrder := summaryVerdicts(t, single)
	gotV, gotOrder := summaryVerdicts(t, merged)
	if !slices.Equal(gotOrder, wantOrder) || fmt.Sprint(gotV) != fmt.Sprint(wantV) {
		t.Errorf("merged %v %v; the single run %v %v", gotOrder, gotV, wantOrder, wantV)
	}
	if wantV["fail-1"] != "fail" || wantV["shard-0"] != "pass" {
		t.Errorf("verdicts %v: the fail-* scenarios must fail and the others pass", wantV)
	}
	var junit struct {
		Cases []struct {
			Name string `xml:"name,attr"`
		} `xml:"testsuite>testcase"`
	}
	if err := xml.Unmarshal([]byte(readFile(t, filepath.Join(merged, "junit.xml"))), &junit); err != nil || len(junit.Cases) != len(files) {
		t.Errorf("merged junit.xml: %d test cases, %v: want %d", len(junit.Cases), err, len(files))
	}
	for _, f := range []string{"index.html", "report.md", "shard-0.json"} {
		if readFile(t, filepath.Join(merged, f)) == "" {
			t.Errorf("merged %s is empty", f)
		}
	}

	for _, c := range []struct {
		name string
		dirs []string
		want string
	}{
		{"a shard missing", []string{outs[0], outs[2]}, "shard(s) 2/3 missing"},
		{"a shard twice", []string{outs[0], outs[1], outs[1]}, "shard 2/3 is given twice"},
		{"a single run with a shard", []string{single, outs[0]}, "one is a shard"},
		{"two single runs", []string{single, single}, "is in " + single + " and in " + single},
	} {
		code, _, stderr := cli(context.Background(), append([]string{"report", "merge", "--out", filepath.Join(dir, "bad")}, c.dirs...)...)
		if code != exitBadInput || !strings.Contains(stderr, c.want) {
			t.Errorf("%s: exit %d, stderr %q: want exit 2 saying %q", c.name, code, stderr, c.want)
		}
	}
}
