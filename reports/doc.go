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
// Data flows one way: reports imports harness and harness/slo, never the reverse.
package reports
