package main

import (
	"context"
	"errors"
	"testing"

	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/option"
	"github.com/openai/openai-go/v3/responses"
	"github.com/openai/openai-go/v3/shared"

	"github.com/llmchaos/llmchaos/examples/internal/apptest"
	"github.com/llmchaos/llmchaos/mocks/control"
	"github.com/llmchaos/llmchaos/mocks/llm"
)

// The naive app serves tool calls and the Responses API through its one provider, and
// shows the bugs it is the negative control for: a cut tool call relayed as whole, and
// a non-retryable error retried.

func client(base, id string) openai.Client {
	return openai.NewClient(option.WithBaseURL(base+"/v1"), option.WithAPIKey("test"), option.WithMaxRetries(0),
		option.WithHeader("X-Request-Id", id))
}

func toolParams(id string) openai.ChatCompletionNewParams {
	schema := map[string]any{"type": "object", "properties": map[string]any{"q": map[string]any{"type": "string"}}, "required": []any{"q"}}
	return openai.ChatCompletionNewParams{
		Model:      "gpt-4o-mini",
		Messages:   []openai.ChatCompletionMessageParamUnion{openai.UserMessage("look it up " + llm.Tag(id))},
		Tools:      []openai.ChatCompletionToolUnionParam{openai.ChatCompletionFunctionTool(shared.FunctionDefinitionParam{Name: "lookup", Parameters: schema})},
		ToolChoice: openai.ChatCompletionToolChoiceOptionUnionParam{OfAuto: openai.String("required")},
	}
}

// streamedToolCall streams a tool-call request through base and returns the call.
func streamedToolCall(t *testing.T, base, id string) openai.ChatCompletionMessageToolCallUnion {
	t.Helper()
	c := client(base, id)
	s := c.Chat.Completions.NewStreaming(context.Background(), toolParams(id))
	var acc openai.ChatCompletionAccumulator
	for s.Next() {
		acc.AddChunk(s.Current())
	}
	if err := s.Err(); err != nil || len(acc.Choices) == 0 || len(acc.Choices[0].Message.ToolCalls) != 1 {
		t.Fatalf("%s: %v, %+v", id, err, acc.Choices)
	}
	return acc.Choices[0].Message.ToolCalls[0]
}

func TestServesToolCallsAndResponses(t *testing.T) {
	e := newEnv(t, nil)
	tc := streamedToolCall(t, e.url, "na-1")
	if _, err := llm.VerifyToolCall(tc.Function.Name, tc.Function.Arguments); err != nil {
		t.Fatal(err)
	}
	c := client(e.url, "na-2")
	r, err := c.Responses.New(context.Background(), responses.ResponseNewParams{Model: "gpt-4o-mini",
		Input: responses.ResponseNewParamsInputUnion{OfString: openai.String("hi " + llm.Tag("na-2"))}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := llm.Verify(r.OutputText()); err != nil {
		t.Fatal(err)
	}
}

// TestRelaysCutToolCallAsWhole: the provider cuts the call inside its arguments; the
// SDK reports no error, and the app ends the stream with [DONE] as if the call were
// whole: the client holds half the JSON.
func TestRelaysCutToolCallAsWhole(t *testing.T) {
	e := newEnv(t, nil)
	apptest.SetFault(t, e.primary, control.Fault{Type: control.TypeToolCallCut})
	tc := streamedToolCall(t, e.url, "na-cut")
	if _, err := llm.VerifyToolCall(tc.Function.Name, tc.Function.Arguments); !errors.Is(err, llm.ErrArgumentsCut) {
		t.Fatalf("arguments %q: %v, want them cut", tc.Function.Arguments, err)
	}
}

// TestRetriesInsufficientQuota: openai-go's default retries hit a 429
// insufficient_quota three times.
func TestRetriesInsufficientQuota(t *testing.T) {
	e := newEnv(t, nil)
	apptest.SetFault(t, e.primary, control.Fault{Type: control.TypeInsufficientQuota})
	c := client(e.url, "na-quota")
	_, err := c.Chat.Completions.New(context.Background(), openai.ChatCompletionNewParams{Model: "gpt-4o-mini",
		Messages: []openai.ChatCompletionMessageParamUnion{openai.UserMessage("hi " + llm.Tag("na-quota"))}})
	if err == nil {
		t.Fatal("no error")
	}
	apptest.EventuallyAttemptsFor(t, e.primary, "na-quota", 3) // 1 + 2 SDK retries of a non-retryable error
}
