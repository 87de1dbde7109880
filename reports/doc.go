// Package reports turns a run (harness.Result) and its judgement (slo.Verdict) into a
// Report: the versioned JSON contract that tools read ("llmchaos.report/v1"), and renders
// sets of reports as Markdown (CI job summaries), one self-contained HTML file with SVG
// charts, and JUnit XML. Diff compares a baseline set of reports with a new one and
// lists regressions and improvements.
//
// Every free-text string that comes from the app under test or from errors (log lines,
// sample errors, event and fault details, SLO reasons) passes through a Redactor before
// it reaches a Report, so API keys and Authorization headers never reach any output.
//
// Data flows one way: reports imports harness and harness/slo, never the reverse.
package reports
