package llm

import (
	"encoding/json"
	"strconv"
)

// The tool-call model, shared by every dialect. A dialect's parser fills a chatRequest's
// tools, toolChoice, parallel and toolResult from its wire format (see toolparse.go);
// planToolCalls decides, from those alone, whether the answer is text or tool calls and
// which; toolArguments (toolargs.go) writes each call's arguments; the stream engine
// (pieces.go) turns the calls into pieces that a toolDialect encodes. A new dialect
// (Gemini functionCall parts, Bedrock toolUse blocks) only parses into these fields and
// encodes toolCall values: the decision, the arguments and their proof are common.

// toolSpec is one function tool a request offers.
type toolSpec struct {
	name string
	// schema is the JSON Schema of the arguments (OpenAI parameters, Anthropic
	// input_schema); nil when the tool takes none.
	schema json.RawMessage
}

// toolChoiceMode is how a request lets the model use its tools.
type toolChoiceMode uint8

const (
	// choiceAuto lets the model choose (the default when tools are offered): the seed
	// decides, deterministically per correlation id (DefaultAutoToolCallShare).
	choiceAuto toolChoiceMode = iota
	// choiceNone forbids tool calls (OpenAI "none", Anthropic {"type":"none"}).
	choiceNone
	// choiceRequired forces at least one call (OpenAI "required", Anthropic {"type":"any"}).
	choiceRequired
	// choiceNamed forces a call to the named tool.
	choiceNamed
)

// toolChoice is a request's tool_choice.
type toolChoice struct {
	mode toolChoiceMode
	name string // choiceNamed: the tool
}

// toolCall is one call in an answer.
type toolCall struct {
	// id is the provider-neutral part of the call id; dialects prefix it (call_, toolu_).
	id   string
	name string
	// arguments is the JSON object text, as toolArguments wrote it (a fault may cut it).
	arguments string
}

// DefaultAutoToolCallShare is the share of requests with tool_choice auto that get a tool
// call rather than text (which ones is decided by a hash of the seed, upstream and
// correlation id, so a run with the same seed gets the same answers).
const DefaultAutoToolCallShare = 0.5

// DefaultMaxParallelToolCalls is how many tools one answer calls when the request allows
// parallel calls and offers that many or more.
const DefaultMaxParallelToolCalls = 2

// planToolCalls decides the tool calls answering req for (upstream, id), or nil for a
// text answer. Text when: the request offers no tool, forbids calls (none), or carries a
// tool result (the follow-up turn gets the final text, so an agent loop ends).
// Otherwise a named choice calls that tool; required calls tools; auto calls them for a
// share of ids (autoShare, by a hash of seed, upstream and id). A call goes to the
// tools in the order offered, starting at one picked by the same hash; with parallel
// calls allowed, up to DefaultMaxParallelToolCalls distinct tools are called. seq makes
// the call ids unique within the mock.
func planToolCalls(seed int64, upstream, id string, seq int, req *chatRequest, autoShare float64) []toolCall {
	if len(req.tools) == 0 || req.toolResult || req.toolChoice.mode == choiceNone {
		return nil
	}
	h := mix64(fnv64a(fnvOffset64, []byte(strconv.FormatInt(seed, 10)+"|tools|"+upstream+"|"+id)))
	var picked []toolSpec
	switch req.toolChoice.mode {
	case choiceNamed:
		for _, t := range req.tools {
			if t.name == req.toolChoice.name {
				picked = []toolSpec{t}
				break
			}
		}
	case choiceAuto:
		if float64(h>>11)/float64(1<<53) >= autoShare {
			return nil
		}
		fallthrough
	default:
		n := 1
		if req.parallel {
			n = min(DefaultMaxParallelToolCalls, len(req.tools))
		}
		first := int(h % uint64(len(req.tools)))
		for i := 0; i < n; i++ {
			picked = append(picked, req.tools[(first+i)%len(req.tools)])
		}
	}
	calls := make([]toolCall, len(picked))
	for i, t := range picked {
		calls[i] = toolCall{
			id:        "llmchaos_" + cleanID(upstream) + "_" + strconv.Itoa(seq) + "_" + strconv.Itoa(i),
			name:      t.name,
			arguments: toolArguments(seed, upstream, id, i, t),
		}
	}
	return calls
}

// mix64 spreads a hash's bits (the finalizer of MurmurHash3): FNV-1a alone leaves its
// high bits nearly alike for keys that differ only at the end, such as REQ-1 and REQ-2.
func mix64(h uint64) uint64 {
	h ^= h >> 33
	h *= 0xff51afd7ed558ccd
	h ^= h >> 33
	h *= 0xc4ceb9fe1a85ec53
	return h ^ h>>33
}

// toolOutputTokens is the output token count of an answer made of calls.
func toolOutputTokens(calls []toolCall) int {
	n := 0
	for _, c := range calls {
		n += len(c.name)/4 + len(c.arguments)/4 + 2
	}
	return n
}
