// Package llm is the mock LLM provider: OpenAI Chat Completions, the OpenAI Responses
// API, Anthropic Messages, Google Gemini (generateContent), Azure OpenAI and Amazon
// Bedrock Converse over HTTP, each on its own paths (Server), streamed (SSE, a JSON
// array, the AWS event-stream framing) and not, with tool calls on every surface,
// deterministic by seed, with the LLM-aware protocol faults of package control
// (error statuses with the provider's exact error body and Retry-After headers, hangs,
// in-stream error events, truncation, stalls, malformed chunks, slow tokens, missing
// usage, cut tool calls, failed and incomplete responses, the providers' semantic
// errors, a quota), the providers' rate-limit headers on every answer, and a journal of
// every attempt.
//
// Every text answer is the text of [Tokens] for the request's correlation id, so whoever
// holds only the text can tell with [Verify] who served it and whether it arrived whole.
// Every tool call's arguments carry the same kind of proof, checked by [VerifyToolCall].
//
// Each fault is sent the way that surface's provider sends it; CheckFault says which
// faults a surface cannot show (the harness refuses them when a scenario is validated).
//
// A Server is an http.Handler; serve it with control.WithAdmin to expose its faults and
// journal under control.AdminPrefix, and with control.ListenAndServe to run it alone
// (HTTP/1.1 and HTTP/2 cleartext on one port).
//
// # Adding a provider surface (a dialect)
//
// A surface is a dialect (dialect.go): a value type whose methods parse a request into
// a chatRequest and append the provider's bytes for answers, stream events and errors.
// The engine (serveCompletion, answer, stream) owns everything else: the correlation id,
// the account and the quota, the fault chosen and where it strikes, the journal. To add
// one (Gemini, Azure OpenAI, Bedrock Converse):
//
//   - Route its path to s.serveCompletion(rec, r, &att, yourDialect{}, requestID) in
//     Server.ServeHTTP.
//   - parse: fill chatRequest's model, stream, bodyID (the correlation id a body carries),
//     lastUser (the raw content of the last user message that is not a tool result: the
//     tag is searched there), promptBytes, and the tool-call model's fields: tools
//     ([]toolSpec: name and the JSON Schema of the arguments), toolChoice (choiceAuto,
//     choiceNone, choiceRequired, choiceNamed), parallel, and toolResult (the request
//     ends with a tool's result, e.g. a Gemini functionResponse part or a Bedrock
//     toolResult block). Bad input is the provider's apiError.
//   - The decision is common: planToolCalls picks the calls (or none: a text answer) and
//     toolArguments writes each call's arguments, a JSON object valid for the schema with
//     the proof inside. A dialect never decides; it encodes c.toks or c.calls.
//   - Implement dialect's methods: appendAnswer writes a whole answer from c.toks (as
//     given) or c.calls, ended as c.stop says (stopDone, stopLength, stopFilter) and, for
//     a surface with a failed status, c.failed; appendStart, appendToken, appendEnd and
//     appendStreamError frame a stream; statusError and providerError give the provider's
//     error bodies (providerError returns status 0 when the provider has no such error:
//     the answer then ends with c.stop = stopFilter, as Anthropic's refusal does).
//   - To answer tool calls, implement toolDialect: appendToolStart (the call's id and
//     name), appendToolArgs (a fragment of the argument JSON; a surface that sends whole
//     calls, like Gemini's functionCall parts, may append nothing here and write the
//     whole call from c.calls[i].arguments in appendToolEnd), appendToolEnd. Without
//     toolDialect, requests with tools get text answers.
//   - Optional: rateLimitDialect for the provider's rate-limit headers, failDialect for a
//     stream-failure event of its own (the Responses API's response.failed),
//     retryHintDialect for a wait said its own way (Gemini's RetryInfo, Bedrock's
//     x-amz-retry-after), errorHeaderer for headers that depend on the error
//     (x-amzn-ErrorType), streamTyper for a stream that is not SSE and chunkBreaker for
//     its malformed chunks. A binary framing (Bedrock's application/vnd.amazon.eventstream,
//     eventstream.go) only changes what the append methods write: the engine sends
//     whatever bytes they return, one flush per piece.
//   - Route its paths in surfaceRoute (routes.go); a dialect value may carry what the
//     path says (the model, stream or not).
//   - Add its Surface (surface.go) and what it refuses in CheckFault.
//
// Stream faults strike at a piece index (pieces.go: cutAt), so a new dialect gets
// truncate, stall, malformed, stream-error, tool-call-cut, response-incomplete and the
// rest without code of its own.
package llm
