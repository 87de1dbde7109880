// Package load is the harness's open-loop load driver: Spec says what to send (rate,
// timeout, the Request with its wire Protocol), Driver sends it to the app under test at
// fixed intervals whether or not earlier requests finished (latency counts from the
// schedule, so a stalled app cannot hide its stall), the wire decoders (SSE, OpenAI Chat
// Completions, the OpenAI Responses API, Anthropic Messages, Gemini generateContent,
// Azure OpenAI, Bedrock Converse with the AWS event-stream framing, plain HTTP) judge each
// answer into a Sample with an Outcome, and Recorder collects the samples with live
// counts for a progress display.
//
// # Tool calls: an agent's turn
//
// With Request.Tools (YAML tools: true) an LLM protocol's request offers one tool,
// DriverToolName, with a strict schema, and requires a call (tool_choice "required",
// Anthropic {"type": "any"}). The first answer must be whole and hold tool calls whose
// arguments pass llm.VerifyToolCall; the driver then sends the follow-up within the same
// deadline: the conversation again, the assistant's calls and a result for each (Chat
// Completions: an assistant message with tool_calls and tool messages; Anthropic:
// tool_use and tool_result blocks; Responses: function_call and function_call_output
// items, stateless with store: false), tool_choice auto. The sample is that final
// answer's judgement: OK only when it is whole text. Sample.Turns is 2 and
// Sample.ToolCalls the calls of the first turn; FirstToken is the first turn's (a tool
// call's opening counts as a token). A first answer that is text where a call was
// required is malformed; a call whose arguments were cut but arrived in a response that
// claimed to be whole ({} or half the JSON, then finish_reason tool_calls and [DONE]) is
// truncated: a silent truncation.
//
// Each LLM protocol's end marker says an answer claims to be whole: data: [DONE]
// (openai-chat, azure-openai), response.completed (openai-responses), message_stop
// (anthropic-messages), the chunk with a
// finishReason (gemini; alt=sse streams have no sentinel), messageStop (bedrock-converse),
// a complete JSON body when not streamed. An error inside a stream (an error frame, a
// Gemini error chunk, a Bedrock exception message) is http_error. Tools (Request.Tools)
// are sent by openai-chat, openai-responses and anthropic-messages only.
//
// load imports harness/tmpl (request templates) and mocks/llm (the answers' proof of
// completeness); package harness imports it.
package load
