package load

import (
	"encoding/json"
	"fmt"

	"github.com/llmchaos/llmchaos/harness/tmpl"
	"github.com/llmchaos/llmchaos/mocks/llm"
)

// A tool-calling request (Request.Tools) is an agent's turn in two requests: the first
// offers DriverToolName and requires a call; when the answer is whole and its calls'
// arguments pass llm.VerifyToolCall, the second sends the assistant's calls and the
// tool's results back, with tool_choice auto, and its answer must be whole text.

// DriverToolName is the tool a tool-calling request offers.
const DriverToolName = "llmchaos_lookup"

// driverToolDescription is the tool's description in requests.
const driverToolDescription = "Look something up for the llmchaos load driver."

// driverToolSchema is the tool's parameters: a strict-mode schema (every property
// required, no others) with a string property, where the mock puts its proof.
var driverToolSchema = json.RawMessage(`{"type":"object","properties":{"query":{"type":"string","description":"what to look up"},` +
	`"limit":{"type":"integer","minimum":1}},"required":["query","limit"],"additionalProperties":false}`)

// toolCallSeen is a tool call an answer made, as the driver gathered it.
type toolCallSeen struct {
	id, name, args string
}

// toolResult is the result the driver sends back for a call.
func toolResult(c toolCallSeen) string { return "result of " + c.name + " for " + c.id }

// followUpProtocol is a protocol whose request can offer a tool: after a verified tool
// call it builds the turn that sends the results back.
type followUpProtocol interface {
	followUp(data *tmpl.Request, calls []toolCallSeen) ([]byte, error)
}

// endReason is how a response said its answer ended.
type endReason struct {
	// early is set when the answer ended before it was whole, and says how
	// (finish_reason length, stop_reason refusal, status incomplete: max_output_tokens).
	early string
}

// protoJudge judges an answer whose response claimed to be whole. In order: an answer
// that says it ended early is OutcomeEndedEarly; the first turn of a tool-calling
// request must hold tool calls (text there is malformed: the request required a call)
// whose arguments verify (else a silent truncation: the response claimed the calls
// whole); otherwise the text must verify (protoVerify).
func protoJudge(text string, calls []toolCallSeen, end endReason, wantCalls bool) protoDecoded {
	if end.early != "" {
		return protoDecoded{text: text, calls: calls, outcome: OutcomeEndedEarly, detail: "the answer ended early: " + end.early}
	}
	if wantCalls && len(calls) == 0 {
		return protoDecoded{text: text, outcome: OutcomeMalformed, detail: "a tool call was required (tool_choice), the answer is text"}
	}
	if len(calls) == 0 {
		return protoVerify(text)
	}
	for _, c := range calls {
		if _, err := llm.VerifyToolCall(c.name, c.args); err != nil {
			return protoDecoded{text: text, calls: calls, outcome: OutcomeTruncated,
				detail: fmt.Sprintf("claimed complete, but tool call %s: %v", c.name, err)}
		}
	}
	return protoDecoded{text: text, calls: calls, outcome: OutcomeOK}
}

// servedBy is who served a decoded answer: the text's head, else the first call's proof.
func (d protoDecoded) servedBy() string {
	if s := llm.ServedBy(d.text); s != "" {
		return s
	}
	for _, c := range d.calls {
		if s := llm.ToolCallServedBy(c.args); s != "" {
			return s
		}
	}
	return ""
}

// callsSeen gathers streamed tool calls by index: the opening gives id and name, the
// fragments the arguments, and a done event may give the whole arguments.
type callsSeen struct {
	calls []toolCallSeen
	mark  func()
}

// at returns call i, growing the list as needed.
func (s *callsSeen) at(i int) *toolCallSeen {
	if i < 0 || i > 1024 {
		i = 0 // a frame with a bad index: count it as the first call's
	}
	for len(s.calls) <= i {
		s.calls = append(s.calls, toolCallSeen{})
	}
	if s.mark != nil {
		s.mark()
	}
	return &s.calls[i]
}
