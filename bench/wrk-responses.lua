wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"model":"gpt-4o-mini","instructions":"be brief","input":"hello [llmchaos-id:bench-1]"}'
