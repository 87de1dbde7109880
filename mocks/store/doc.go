// Package store is a small JSON dependency for llmchaos scenarios: a per-user chat history
// store that an app under test reads and writes beside its LLM calls, so a scenario can
// take it away (partial outage) and check the app degrades instead of failing.
//
// Routes:
//
//	GET    /v1/history/{user}   {"user": ..., "messages": [{"role", "content"}, ...]} (empty for a new user)
//	PUT    /v1/history/{user}   replaces the history with the body's {"messages": [...]}
//	POST   /v1/history/{user}   appends the body's one {"role", "content"} message
//	DELETE /v1/history/{user}   forgets the user
//	GET    /healthz             {"status": "ok"}, never faulted nor journaled
//
// Errors answer {"error": {"code": status, "message": ...}}. Serve Store.Handler, which
// adds the control admin API under /_llmchaos/.
//
// The store is bounded: one history holds at most DefaultMaxMessages messages, and the
// store keeps the histories of at most DefaultMaxUsers users (WithMaxUsers), forgetting
// the user first stored longest ago past it (Users counts them).
package store
