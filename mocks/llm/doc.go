// Package llm is the mock LLM provider: OpenAI Chat Completions and Anthropic Messages
// over HTTP, streamed (SSE) and not, deterministic by seed, with the LLM-aware protocol
// faults of package control (error statuses with the provider's exact error body and
// Retry-After headers, hangs, in-stream error events, truncation, stalls, malformed
// chunks, slow tokens, missing usage) and a journal of every attempt.
//
// Every answer is the text of [Tokens] for the request's correlation id, so whoever
// holds only the text can tell with [Verify] who served it and whether it arrived whole.
//
// A Server is an http.Handler; serve it with control.WithAdmin to expose its faults and
// journal under control.AdminPrefix, and with control.ListenAndServe to run it alone.
package llm
