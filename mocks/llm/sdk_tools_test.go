package llm

import (
	"context"
	"testing"

	"github.com/anthropics/anthropic-sdk-go"
	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/responses"
	"github.com/openai/openai-go/v3/shared"
)

// Tool calls through the official SDKs, unmodified: the calls they accumulate verify,
// and the follow-up with the tool's result gets the final text answer.

// weatherSchema is a strict-mode schema: every property required, no others allowed.
func weatherSchema() map[string]any {
	return map[string]any{
		"type": "object",
		"properties": map[string]any{
			"city": map[string]any{"type": "string"},
			"unit": map[string]any{"type": "string", "enum": []any{"celsius", "fahrenheit"}},
			"days": map[string]any{"type": "integer", "minimum": 1},
		},
		"required":             []any{"city", "unit", "days"},
		"additionalProperties": false,
	}
}

func chatToolParams(tag string) openai.ChatCompletionNewParams {
	p := chatParams(tag)
	p.Tools = []openai.ChatCompletionToolUnionParam{openai.ChatCompletionFunctionTool(shared.FunctionDefinitionParam{
		Name: "get_weather", Parameters: weatherSchema(),
	})}
	p.ToolChoice = openai.ChatCompletionToolChoiceOptionUnionParam{OfAuto: openai.String("required")}
	return p
}

func TestOpenAISDKChatToolCalls(t *testing.T) {
	s, hs := start(t)
	c := openAIClient(hs.URL)
	ctx := context.Background()

	got, err := c.Chat.Completions.New(ctx, chatToolParams("tool-1"))
	if err != nil {
		t.Fatal(err)
	}
	msg := got.Choices[0].Message
	if got.Choices[0].FinishReason != "tool_calls" || len(msg.ToolCalls) != 1 || msg.ToolCalls[0].Function.Name != "get_weather" {
		t.Fatalf("whole answer %+v", got.Choices[0])
	}
	tc := msg.ToolCalls[0]
	if p, err := VerifyToolCall(tc.Function.Name, tc.Function.Arguments); err != nil || p.ID != "tool-1" || p.Upstream != "primary" {
		t.Fatalf("arguments %q: %+v, %v", tc.Function.Arguments, p, err)
	}

	acc, err := streamOpenAI(ctx, c, chatToolParams("tool-2"))
	if err != nil {
		t.Fatal(err)
	}
	calls := acc.Choices[0].Message.ToolCalls
	if acc.Choices[0].FinishReason != "tool_calls" || len(calls) != 1 || calls[0].ID == "" {
		t.Fatalf("accumulated %+v", acc.Choices[0])
	}
	if _, err := VerifyToolCall(calls[0].Function.Name, calls[0].Function.Arguments); err != nil {
		t.Fatalf("streamed arguments %q: %v", calls[0].Function.Arguments, err)
	}

	// the follow-up: the assistant's tool call, then the tool's result
	follow := chatToolParams("tool-2")
	follow.Messages = append(follow.Messages, acc.Choices[0].Message.ToParam(), openai.ToolMessage("18 degrees", calls[0].ID))
	final, err := c.Chat.Completions.New(ctx, follow)
	if err != nil {
		t.Fatal(err)
	}
	if a, err := Verify(final.Choices[0].Message.Content); err != nil || a.ID != "tool-2" || final.Choices[0].FinishReason != "stop" {
		t.Fatalf("final answer %+v, %v", final.Choices[0], err)
	}
	at := waitAttempts(t, s, 3)
	if at[0].ToolCalls != 1 || at[1].ToolCalls != 1 || at[2].ToolCalls != 0 || !at[2].FollowUp || at[1].FollowUp {
		t.Fatalf("journal %+v", at)
	}
}

func responsesToolParams(tag string) responses.ResponseNewParams {
	p := responseParams(tag)
	p.Tools = []responses.ToolUnionParam{responses.ToolParamOfFunction("get_weather", weatherSchema(), true)}
	p.ToolChoice = responses.ResponseNewParamsToolChoiceUnion{OfToolChoiceMode: openai.Opt(responses.ToolChoiceOptionsRequired)}
	return p
}

// functionCall returns the function_call output item of r, failing without one.
func functionCall(t *testing.T, r *responses.Response) responses.ResponseOutputItemUnion {
	t.Helper()
	for _, it := range r.Output {
		if it.Type == "function_call" {
			return it
		}
	}
	t.Fatalf("no function_call in %+v", r.Output)
	return responses.ResponseOutputItemUnion{}
}

func TestOpenAISDKResponsesToolCalls(t *testing.T) {
	_, hs := start(t)
	c := openAIClient(hs.URL)
	ctx := context.Background()

	got, err := c.Responses.New(ctx, responsesToolParams("rtool-1"))
	if err != nil {
		t.Fatal(err)
	}
	fc := functionCall(t, got)
	if p, err := VerifyToolCall(fc.Name, fc.Arguments.OfString); err != nil || p.ID != "rtool-1" || fc.CallID == "" {
		t.Fatalf("whole: %+v, %v (%+v)", p, err, fc)
	}

	final, _, types, err := streamResponse(ctx, c, responsesToolParams("rtool-2"))
	if err != nil || final == nil || final.Status != responses.ResponseStatusCompleted {
		t.Fatalf("stream: %v, %+v", err, final)
	}
	fc = functionCall(t, final)
	if _, err := VerifyToolCall(fc.Name, fc.Arguments.OfString); err != nil {
		t.Fatalf("streamed arguments %q: %v", fc.Arguments.OfString, err)
	}
	if !contains(types, "response.function_call_arguments.delta") || !contains(types, "response.function_call_arguments.done") {
		t.Fatalf("events %v", types)
	}

	// the follow-up continues the stored response with the call's output only
	follow := responses.ResponseNewParams{
		Model:              "gpt-4o-mini",
		PreviousResponseID: openai.String(final.ID),
		Input: responses.ResponseNewParamsInputUnion{OfInputItemList: responses.ResponseInputParam{
			responses.ResponseInputItemParamOfFunctionCallOutput("18 degrees"),
		}},
	}
	follow.Input.OfInputItemList[0].OfFunctionCallOutput.CallID = openai.String(fc.CallID)
	answer, err := c.Responses.New(ctx, follow)
	if err != nil {
		t.Fatal(err)
	}
	if a, err := Verify(answer.OutputText()); err != nil || a.ID != "rtool-2" {
		t.Fatalf("final answer %q: %+v, %v", answer.OutputText(), a, err)
	}
}

func anthropicToolParams(tag string) anthropic.MessageNewParams {
	p := messageParams(tag)
	sch := weatherSchema()
	p.Tools = []anthropic.ToolUnionParam{{OfTool: &anthropic.ToolParam{
		Name:        "get_weather",
		InputSchema: anthropic.ToolInputSchemaParam{Properties: sch["properties"], Required: []string{"city", "unit", "days"}},
	}}}
	p.ToolChoice = anthropic.ToolChoiceUnionParam{OfAny: &anthropic.ToolChoiceAnyParam{}}
	return p
}

func TestAnthropicSDKToolUseStreamed(t *testing.T) {
	s, hs := start(t, WithName("secondary"))
	c := anthropicClient(hs.URL)
	ctx := context.Background()

	msg, err := streamAnthropic(ctx, c, anthropicToolParams("atool-1"))
	if err != nil {
		t.Fatal(err)
	}
	if msg.StopReason != anthropic.StopReasonToolUse || len(msg.Content) != 1 || msg.Content[0].Type != "tool_use" {
		t.Fatalf("message %+v", msg)
	}
	use := msg.Content[0]
	if p, err := VerifyToolCall(use.Name, string(use.Input)); err != nil || p.Upstream != "secondary" || p.ID != "atool-1" {
		t.Fatalf("input %s: %+v, %v", use.Input, p, err)
	}

	follow := anthropicToolParams("atool-1")
	follow.Messages = append(follow.Messages, msg.ToParam(),
		anthropic.NewUserMessage(anthropic.NewToolResultBlock(use.ID, "18 degrees", false)))
	final, err := streamAnthropic(ctx, c, follow)
	if err != nil {
		t.Fatal(err)
	}
	if a, err := Verify(text(final)); err != nil || a.ID != "atool-1" || final.StopReason != anthropic.StopReasonEndTurn {
		t.Fatalf("final %+v: %v", final, err)
	}
	if at := waitAttempts(t, s, 2); at[0].ToolCalls != 1 || !at[1].FollowUp || !at[1].Complete {
		t.Fatalf("journal %+v", at)
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
