package main

import (
	"fmt"
	"time"

	"github.com/llmchaos/llmchaos/harness"
)

// Figures measured by the project's footprint benchmarks, used to say what a run costs
// against its bounds: a recorded sample (harness/load BenchmarkSampleFootprint) and a
// journalled LLM attempt (mocks/llm BenchmarkJournalFootprint).
const (
	bytesPerSample  = 181.5
	bytesPerAttempt = 150
)

// maxHarnessBytesPerRequest is the soak's leak guard on the harness: what a request may
// add to its resident memory (its sample, the four mocks' journal entries, the runtime's
// slack), far above what was measured (BENCHMARKS.md) and far below a leak of a
// goroutine, a connection or an answer per request.
const maxHarnessBytesPerRequest = 8 << 10

// check prints the summary and returns what failed.
func (r *result) check(cfg config) []string {
	var failed []string
	fail := func(format string, a ...any) { failed = append(failed, fmt.Sprintf(format, a...)) }
	fmt.Printf("\nwall %v, llmchaos run exit %d; load average before %s\n", r.wall.Round(time.Second), r.runExit, r.loadAvg)
	rep := r.report.Report
	requests := 0
	for _, p := range rep.Phases {
		requests += p.Requests
		fmt.Printf("phase %s: %d requests, availability %v, latency p50 %v ms p99 %v ms\n", p.Name, p.Requests, p.Availability, p.LatencyMS.P50, p.LatencyMS.P99)
	}
	fmt.Printf("verdict %s; report folder %d files, %.1f MB (index.html %.1f KB), rendered again by llmchaos report -o\n",
		rep.Verdict, r.report.Files, float64(r.report.Bytes)/(1<<20), float64(r.report.HTML)/1024)
	if want := int(0.95 * float64(cfg.Rate) * cfg.Duration.Seconds()); requests < want {
		fail("the run made %d requests, under 95%% of %d/s for %v (%d): not the load asked for", requests, cfg.Rate, cfg.Duration, want)
	}
	failed = append(failed, r.checkHarness(cfg, requests)...)
	failed = append(failed, r.checkMock(cfg)...)
	return failed
}

// checkHarness states the harness's memory against its bounds and guards against a leak:
// its growth from the first sample with the app up (the run's fixed costs paid: proxies,
// mocks, the app started) to its peak, per request scheduled meanwhile (rate × time).
func (r *result) checkHarness(cfg config, requests int) []string {
	base := -1
	peak := row{}
	for i, x := range r.rows {
		if base < 0 && x.AppKB > 0 {
			base = i
		}
		if base >= 0 && x.HarnessKB >= peak.HarnessKB {
			peak = x
		}
	}
	if base < 0 || peak.At <= r.rows[base].At {
		return []string{"no two samples of the harness with the app up: the run was too short to measure"}
	}
	b := r.rows[base]
	between := float64(cfg.Rate) * (peak.At - b.At).Seconds()
	per := float64(peak.HarnessKB-b.HarnessKB) * 1024 / between
	fmt.Printf("harness: RSS %s at %v (app up), %s at its peak at %v: %.0f bytes per request (samples alone: %.1f bytes each, %.1f MB for this run's %d)\n",
		mb(b.HarnessKB), b.At, mb(peak.HarnessKB), peak.At, per, bytesPerSample, float64(requests)*bytesPerSample/(1<<20), requests)
	fmt.Printf("harness: the sample budget (harness.DefaultMaxSamples, %d requests a run) at this cost is %.2f GB above the start; this run used %.1f%% of it\n",
		harness.DefaultMaxSamples, per*harness.DefaultMaxSamples/(1<<30), 100*float64(requests)/harness.DefaultMaxSamples)
	if per > maxHarnessBytesPerRequest {
		return []string{fmt.Sprintf("the harness grew %.0f bytes per request, over the %d-byte leak guard", per, maxHarnessBytesPerRequest)}
	}
	return nil
}

// checkMock checks that the standalone mock kept exactly its newest --journal-limit
// attempts and that its memory stopped growing once its journal was full.
func (r *result) checkMock(cfg config) []string {
	var failed []string
	st := r.final.Journal
	fmt.Printf("standalone mock: %d requests sent (%d late: no free worker), journal seq %d, kept %d, dropped %d through seq %d, limit %d\n",
		r.final.Sent, r.final.Late, st.Seq, st.Kept, st.Dropped, st.DroppedThrough, st.Limit)
	if want := min(st.Seq, cfg.MockJournal); st.Kept != want || st.Dropped != st.Seq-st.Kept || st.Limit != cfg.MockJournal {
		failed = append(failed, fmt.Sprintf("the standalone mock's journal %+v: want kept %d (its limit, or all), the rest dropped", st, want))
	}
	fill := -1
	for i, x := range r.rows {
		if x.Journal.Kept >= cfg.MockJournal {
			fill = i
			break
		}
	}
	if fill < 0 || fill > len(r.rows)-3 {
		fmt.Println("standalone mock: its journal filled too late in the run to see its memory after (lower SOAK_MOCK_JOURNAL)")
		return failed
	}
	at, end := r.rows[fill], r.rows[len(r.rows)-1]
	grew := float64(end.MockKB-at.MockKB) * 1024
	unbounded := float64(end.Journal.Seq-at.Journal.Seq) * bytesPerAttempt
	fmt.Printf("standalone mock: journal full at %v (RSS %s); at %v RSS %s: %+.1f MB after %d more requests (an unbounded journal: +%.1f MB of attempts alone)\n",
		at.At, mb(at.MockKB), end.At, mb(end.MockKB), grew/(1<<20), end.Journal.Seq-at.Journal.Seq, unbounded/(1<<20))
	if grew > max(16<<20, unbounded/2) {
		failed = append(failed, fmt.Sprintf("the standalone mock's RSS grew %.1f MB after its journal was full (allowed: max(16 MB, half of an unbounded journal's %.1f MB))", grew/(1<<20), unbounded/(1<<20)))
	}
	return failed
}
