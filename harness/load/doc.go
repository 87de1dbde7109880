// Package load is the harness's open-loop load driver: Spec says what to send (rate,
// timeout, the Request with its wire Protocol), Driver sends it to the app under test at
// fixed intervals whether or not earlier requests finished (latency counts from the
// schedule, so a stalled app cannot hide its stall), the wire decoders (SSE, OpenAI Chat
// Completions, Anthropic Messages, plain HTTP) judge each answer into a Sample with an
// Outcome, and Recorder collects the samples with live counts for a progress display.
//
// load imports harness/tmpl (request templates) and mocks/llm (the answers' proof of
// completeness); package harness imports it.
package load
