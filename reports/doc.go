// Package reports turns a run (harness.Result) and its judgement (slo.Verdict) into a
// Report: the versioned JSON contract that tools read ("llmchaos.report/v1"), and renders
// sets of reports as Markdown (CI job summaries), one self-contained HTML file with SVG
// charts, and JUnit XML. Diff compares a baseline set of reports with a new one and
// lists regressions and improvements.
//
// Every free-text string that comes from the app under test or from errors (log lines,
// sample errors, event and fault details, SLO reasons) passes through a Redactor before
// it reaches a Report, and every renderer cleans every string of the reports it renders
// again (Clean: secrets redacted, control characters escaped by Printable), so a report
// edited or written by another tool is cleaned too. Secrets returns the values of
// variables whose names say they hold one (the project's one secret-name policy).
//
// summary.json is a folder's manifest: ReadDir reads the reports it lists, and WriteAll
// removes the report files the previous one listed. DecodeReport reads only
// SupportedReportSchemas. Report and summary files are read as regular files of at most
// DefaultMaxReportBytes.
//
// Repeated judges one scenario's runs together (llmchaos run --repeat N): the report of
// one run (Repeats.ShownRun) with a Repeats summary (per SLO: runs held, the spread of
// the observed value, flaky), slos[].pass and the verdict over the runs (the majority,
// or every run when strict). The fields are additive: a single run has no "repeats" key.
//
// Merge joins the report sets of a run's shards (llmchaos run --shard K/N, whose
// summary.json carries ShardInfo) into one, failing with a *MergeError when a shard or a
// scenario is missing or repeated. Report.Parallel records how many runs ran at once
// (llmchaos run --parallel) when more than one. Both fields are additive.
//
// Data flows one way: reports imports harness and harness/slo, never the reverse.
package reports
