package llm

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/anthropics/anthropic-sdk-go"
	"github.com/llmchaos/llmchaos/mocks/control"
	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/option"
	"github.com/openai/openai-go/v3/responses"
)

// The new stream faults as the official SDKs see them. Most are cuts the SDK does not
// notice (no error): only the mock's proof (Verify, VerifyToolCall) or the finish /
// stop reason / response status shows them. Each case says which.

// TestToolCallCutUnnoticedBySDKs: a tool call cut after its name or inside its
// arguments ends every SDK's stream without an error; what the app holds is "" or half
// the JSON (openai-go), {} or half the JSON (anthropic-sdk-go), and VerifyToolCall
// refuses it.
func TestToolCallCutUnnoticedBySDKs(t *testing.T) {
	for _, at := range []control.CutAt{control.CutAtName, control.CutAtArguments} {
		s, hs := start(t)
		setFault(t, s, control.Fault{Type: control.TypeToolCallCut, CutAt: at})
		ctx := context.Background()

		acc, err := streamOpenAI(ctx, openAIClient(hs.URL), chatToolParams("cut-chat"))
		if err != nil {
			t.Fatalf("%s: openai-go saw the cut: %v", at, err)
		}
		calls := acc.Choices[0].Message.ToolCalls
		if len(calls) != 1 || calls[0].Function.Name != "get_weather" {
			t.Fatalf("%s: accumulated %+v", at, acc.Choices)
		}
		args := calls[0].Function.Arguments
		if _, err := VerifyToolCall("get_weather", args); !errors.Is(err, ErrArgumentsCut) || (at == control.CutAtName) != (args == "") {
			t.Fatalf("%s: chat arguments %q: %v", at, args, err)
		}

		msg, err := streamAnthropic(ctx, anthropicClient(hs.URL), anthropicToolParams("cut-anthropic"))
		if err != nil || len(msg.Content) != 1 {
			t.Fatalf("%s: anthropic-sdk-go: %+v, %v", at, msg, err)
		}
		want := ErrArgumentsCut
		if at == control.CutAtName {
			want = ErrNoProof // the accumulator keeps the {} of content_block_start
		}
		if _, err := VerifyToolCall("get_weather", string(msg.Content[0].Input)); !errors.Is(err, want) {
			t.Fatalf("%s: anthropic input %s: %v", at, msg.Content[0].Input, err)
		}

		final, _, types, err := streamResponse(ctx, openAIClient(hs.URL), responsesToolParams("cut-responses"))
		if err != nil || final != nil || !contains(types, "response.output_item.added") {
			t.Fatalf("%s: responses stream: err %v, terminal %v, events %v", at, err, final, types)
		}

		whole, err := openAIClient(hs.URL).Chat.Completions.New(ctx, chatToolParams("cut-whole"))
		if err != nil || whole.Choices[0].FinishReason != "tool_calls" {
			t.Fatalf("%s: whole: %v", at, err)
		}
		if _, err := VerifyToolCall("get_weather", whole.Choices[0].Message.ToolCalls[0].Function.Arguments); err == nil {
			t.Fatalf("%s: whole answer's cut arguments verify", at)
		}
		for _, a := range waitAttempts(t, s, 4) {
			if !a.Cut || a.Complete || a.Fault != "tool-call-cut" || a.ToolCalls != 1 {
				t.Fatalf("%s: attempt %+v", at, a)
			}
		}
	}
}

// TestResponseFailedAsSDKsSeeIt: on the Responses API, response.failed is a typed event
// and a non-stream Response with status failed: openai-go returns no error for either;
// on Chat Completions it is an in-stream error, which openai-go does report.
func TestResponseFailedAsSDKsSeeIt(t *testing.T) {
	s, hs := start(t)
	setFault(t, s, control.Fault{Type: control.TypeResponseFailed, AfterChunks: 2})
	c := openAIClient(hs.URL, option.WithMaxRetries(0))
	ctx := context.Background()
	final, text, _, err := streamResponse(ctx, c, responseParams("failed-1"))
	if err != nil || final == nil || final.Status != responses.ResponseStatusFailed || final.Error.Code != "server_error" {
		t.Fatalf("stream: err %v, final %+v", err, final)
	}
	if ServedBy(text) != "primary" {
		t.Fatalf("text before the failure %q", text)
	}
	whole, err := c.Responses.New(ctx, responseParams("failed-2"))
	if err != nil || whole.Status != responses.ResponseStatusFailed || whole.Error.Message == "" {
		t.Fatalf("whole: %+v, %v", whole, err)
	}
	if _, err := streamOpenAI(ctx, c, chatParams("failed-3")); err == nil || !strings.Contains(err.Error(), "server_error") {
		t.Fatalf("chat stream: %v, want the in-stream error", err)
	}
}

// TestResponseIncompleteAsSDKsSeeIt: the answer ends early and says why; no SDK raises
// an error, the status, finish reason or stop reason tells.
func TestResponseIncompleteAsSDKsSeeIt(t *testing.T) {
	s, hs := start(t)
	setFault(t, s, control.Fault{Type: control.TypeResponseIncomplete, AfterChunks: 4})
	c := openAIClient(hs.URL)
	ctx := context.Background()
	final, _, types, err := streamResponse(ctx, c, responseParams("inc-1"))
	if err != nil || final == nil || final.Status != responses.ResponseStatusIncomplete || final.IncompleteDetails.Reason != "max_output_tokens" {
		t.Fatalf("responses: %v, %+v", err, final)
	}
	if types[len(types)-1] != "response.incomplete" {
		t.Fatalf("events %v", types)
	}
	acc, err := streamOpenAI(ctx, c, chatParams("inc-2"))
	if err != nil || acc.Choices[0].FinishReason != "length" {
		t.Fatalf("chat: %v, %+v", err, acc.Choices)
	}
	msg, err := streamAnthropic(ctx, anthropicClient(hs.URL), messageParams("inc-3"))
	if err != nil || msg.StopReason != anthropic.StopReasonMaxTokens {
		t.Fatalf("anthropic: %v, %q", err, msg.StopReason)
	}
	for _, got := range []string{final.OutputText(), acc.Choices[0].Message.Content, text(msg)} {
		if ServedBy(got) == "" {
			t.Fatalf("no text before the end: %q", got)
		}
		if _, err := Verify(got); err == nil {
			t.Fatalf("an incomplete answer verifies: %q", got)
		}
	}
}

// TestContentFilterOutputAzureStyle: the Chat stream ends with finish_reason
// content_filter and [DONE], as Azure OpenAI's does; openai-go reports no error.
func TestContentFilterOutputAzureStyle(t *testing.T) {
	s, hs := start(t)
	setFault(t, s, control.Fault{Type: control.TypeContentFilter, Filtered: control.FilterOutput, AfterChunks: 3})
	acc, err := streamOpenAI(context.Background(), openAIClient(hs.URL), chatParams("cf-1"))
	if err != nil || acc.Choices[0].FinishReason != "content_filter" {
		t.Fatalf("%v, %+v", err, acc.Choices)
	}
	final, _, _, err := streamResponse(context.Background(), openAIClient(hs.URL), responseParams("cf-2"))
	if err != nil || final == nil || final.IncompleteDetails.Reason != "content_filter" {
		t.Fatalf("responses: %v, %+v", err, final)
	}
}

// TestResponsesStreamErrors: a stream-error or a context-length error inside a
// Responses stream is an error event with an error object, which openai-go reports as a
// stream error after response.created; the journal marks the context-length one
// non-retryable.
func TestResponsesStreamErrors(t *testing.T) {
	for _, f := range []control.Fault{{Type: control.TypeStreamError, AfterChunks: 2}, {Type: control.TypeContextLength}} {
		s, hs := start(t)
		setFault(t, s, f)
		c := openAIClient(hs.URL, option.WithMaxRetries(0))
		_, _, types, err := streamResponse(context.Background(), c, responseParams("rerr-1"))
		if err == nil || types[0] != "response.created" {
			t.Fatalf("%s: err %v, events %v", f.Type, err, types)
		}
		a := waitAttempts(t, s, 1)[0]
		if a.Status != 200 || !a.Cut || a.NonRetryable != (f.Type == control.TypeContextLength) {
			t.Fatalf("%s: attempt %+v", f.Type, a)
		}
		_, err = c.Responses.New(context.Background(), responseParams("rerr-2"))
		var apiErr *openai.Error
		if !errors.As(err, &apiErr) || (f.Type == control.TypeContextLength) != (apiErr.StatusCode == 400 && apiErr.Param == "input") {
			t.Fatalf("%s whole: %v", f.Type, err)
		}
	}
}
