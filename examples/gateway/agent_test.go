package main

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/option"
	"github.com/openai/openai-go/v3/responses"
	"github.com/openai/openai-go/v3/shared"

	"github.com/llmchaos/llmchaos/examples/internal/apptest"
	"github.com/llmchaos/llmchaos/mocks/control"
	"github.com/llmchaos/llmchaos/mocks/llm"
)

// Agents through the gateway, as openai-go sees it: tool calls on Chat Completions and
// the Responses API, served by the primary or translated from the secondary.

func client(base, id string) openai.Client {
	return openai.NewClient(option.WithBaseURL(base+"/v1"), option.WithAPIKey("test"), option.WithMaxRetries(0),
		option.WithHeader("X-Request-Id", id))
}

var lookupSchema = map[string]any{
	"type":                 "object",
	"properties":           map[string]any{"query": map[string]any{"type": "string"}, "limit": map[string]any{"type": "integer", "minimum": 1}},
	"required":             []any{"query", "limit"},
	"additionalProperties": false,
}

func toolParams(id string) openai.ChatCompletionNewParams {
	return openai.ChatCompletionNewParams{
		Model:      "gpt-4o-mini",
		Messages:   []openai.ChatCompletionMessageParamUnion{openai.UserMessage("look it up " + llm.Tag(id))},
		User:       openai.String(id),
		Tools:      []openai.ChatCompletionToolUnionParam{openai.ChatCompletionFunctionTool(shared.FunctionDefinitionParam{Name: "lookup", Parameters: lookupSchema})},
		ToolChoice: openai.ChatCompletionToolChoiceOptionUnionParam{OfAuto: openai.String("required")},
	}
}

// chatAgentTurn makes the tool-call turn and its follow-up through base and returns
// the served-by of each.
func chatAgentTurn(t *testing.T, base, id string, stream bool) (string, string) {
	t.Helper()
	c := client(base, id)
	ctx := context.Background()
	var msg openai.ChatCompletionMessage
	if stream {
		s := c.Chat.Completions.NewStreaming(ctx, toolParams(id))
		var acc openai.ChatCompletionAccumulator
		for s.Next() {
			acc.AddChunk(s.Current())
		}
		if err := s.Err(); err != nil || len(acc.Choices) == 0 {
			t.Fatalf("%s: stream: %v", id, err)
		}
		msg = acc.Choices[0].Message
	} else {
		res, err := c.Chat.Completions.New(ctx, toolParams(id))
		if err != nil {
			t.Fatalf("%s: %v", id, err)
		}
		msg = res.Choices[0].Message
	}
	if len(msg.ToolCalls) != 1 {
		t.Fatalf("%s: no tool call: %+v", id, msg)
	}
	tc := msg.ToolCalls[0]
	proof, err := llm.VerifyToolCall(tc.Function.Name, tc.Function.Arguments)
	if err != nil || proof.ID != id {
		t.Fatalf("%s: arguments %q: %v", id, tc.Function.Arguments, err)
	}
	follow := toolParams(id)
	follow.ToolChoice = openai.ChatCompletionToolChoiceOptionUnionParam{OfAuto: openai.String("auto")}
	follow.Messages = append(follow.Messages, msg.ToParam(), openai.ToolMessage("42", tc.ID))
	final, err := c.Chat.Completions.New(ctx, follow)
	if err != nil {
		t.Fatalf("%s: follow-up: %v", id, err)
	}
	a, err := llm.Verify(final.Choices[0].Message.Content)
	if err != nil || a.ID != id {
		t.Fatalf("%s: final answer %q: %v", id, final.Choices[0].Message.Content, err)
	}
	return proof.Upstream, a.Upstream
}

func TestChatToolCallsThroughBothUpstreams(t *testing.T) {
	for _, down := range []bool{false, true} {
		for _, stream := range []bool{false, true} {
			e := newEnv(t, func(c *Config) {
				if down {
					c.PrimaryURL = apptest.ClosedURL(t)
				}
			})
			want := "primary"
			if down {
				want = "secondary"
			}
			id := fmt.Sprintf("tools-%v-%v", down, stream)
			if call, final := chatAgentTurn(t, e.url, id, stream); call != want || final != want {
				t.Fatalf("%s: call by %s, answer by %s, want %s", id, call, final, want)
			}
		}
	}
}

func responsesParams(id string, tools bool) responses.ResponseNewParams {
	p := responses.ResponseNewParams{
		Model: "gpt-4o-mini", User: openai.String(id), Store: openai.Bool(false),
		Input: responses.ResponseNewParamsInputUnion{OfString: openai.String("say something " + llm.Tag(id))},
	}
	if tools {
		p.Tools = []responses.ToolUnionParam{responses.ToolParamOfFunction("lookup", lookupSchema, true)}
		p.ToolChoice = responses.ResponseNewParamsToolChoiceUnion{OfToolChoiceMode: openai.Opt(responses.ToolChoiceOptionsRequired)}
	}
	return p
}

// respond makes one Responses API request through base and returns the final Response.
func respond(t *testing.T, base, id string, p responses.ResponseNewParams, stream bool) *responses.Response {
	t.Helper()
	c := client(base, id)
	if !stream {
		r, err := c.Responses.New(context.Background(), p)
		if err != nil {
			t.Fatalf("%s: %v", id, err)
		}
		return r
	}
	s := c.Responses.NewStreaming(context.Background(), p)
	defer s.Close()
	var final *responses.Response
	for s.Next() {
		if ev, ok := s.Current().AsAny().(responses.ResponseCompletedEvent); ok {
			final = &ev.Response
		}
	}
	if err := s.Err(); err != nil || final == nil {
		t.Fatalf("%s: stream: %v, completed %v", id, err, final != nil)
	}
	return final
}

func TestResponsesThroughBothUpstreams(t *testing.T) {
	for _, down := range []bool{false, true} {
		e := newEnv(t, func(c *Config) {
			if down {
				c.PrimaryURL = apptest.ClosedURL(t)
			}
		})
		want := map[bool]string{false: "primary", true: "secondary"}[down]
		for _, stream := range []bool{false, true} {
			id := fmt.Sprintf("resp-%v-%v", down, stream)
			r := respond(t, e.url, id, responsesParams(id, false), stream)
			if a, err := llm.Verify(r.OutputText()); err != nil || a.Upstream != want {
				t.Fatalf("%s: %q: %+v %v", id, r.OutputText(), a, err)
			}
			tid := id + "-tools"
			r = respond(t, e.url, tid, responsesParams(tid, true), stream)
			var call responses.ResponseOutputItemUnion
			for _, it := range r.Output {
				if it.Type == "function_call" {
					call = it
				}
			}
			if p, err := llm.VerifyToolCall(call.Name, call.Arguments.OfString); err != nil || p.Upstream != want {
				t.Fatalf("%s: call %+v: %v", tid, call, err)
			}
			follow := responsesParams(tid, true)
			follow.ToolChoice = responses.ResponseNewParamsToolChoiceUnion{OfToolChoiceMode: openai.Opt(responses.ToolChoiceOptionsAuto)}
			follow.Input = responses.ResponseNewParamsInputUnion{OfInputItemList: responses.ResponseInputParam{
				responses.ResponseInputItemParamOfMessage("say something "+llm.Tag(tid), responses.EasyInputMessageRoleUser),
				responses.ResponseInputItemParamOfFunctionCall(call.Arguments.OfString, call.CallID, call.Name),
				responses.ResponseInputItemParamOfFunctionCallOutput("42"),
			}}
			follow.Input.OfInputItemList[2].OfFunctionCallOutput.CallID = openai.String(call.CallID)
			r = respond(t, e.url, tid, follow, stream)
			if a, err := llm.Verify(r.OutputText()); err != nil || a.ID != tid {
				t.Fatalf("%s follow-up: %q: %v", tid, r.OutputText(), err)
			}
		}
	}
}

// TestFailsOverOnTheNewFaults: each new fault on the primary, before the first byte,
// fails over to the secondary; the non-retryable ones are never retried on the primary.
func TestFailsOverOnTheNewFaults(t *testing.T) {
	cases := []struct {
		f        control.Fault
		call     func(t *testing.T, base, id string) string // returns the upstream that served what the fault hit
		attempts int                                        // on the primary: one per turn (an agent's turn is two requests)
	}{
		{control.Fault{Type: control.TypeToolCallCut}, func(t *testing.T, base, id string) string { by, _ := chatAgentTurn(t, base, id, true); return by }, 2},
		{control.Fault{Type: control.TypeToolCallCut, CutAt: control.CutAtName}, func(t *testing.T, base, id string) string { by, _ := chatAgentTurn(t, base, id, false); return by }, 2},
		{control.Fault{Type: control.TypeResponseFailed}, responsesBy(true), 1},
		{control.Fault{Type: control.TypeResponseFailed}, responsesBy(false), 1},
		{control.Fault{Type: control.TypeContextLength}, responsesBy(true), 1},
		{control.Fault{Type: control.TypeContextLength}, chatBy, 1},
		{control.Fault{Type: control.TypeInsufficientQuota}, chatBy, 1},
		{control.Fault{Type: control.TypeInvalidKey}, responsesBy(false), 1},
		{control.Fault{Type: control.TypeModelNotFound}, chatBy, 1},
	}
	for i, c := range cases {
		t.Run(fmt.Sprintf("%d-%s", i, c.f.Type), func(t *testing.T) {
			e := newEnv(t, nil)
			apptest.SetFault(t, e.primary, c.f)
			id := fmt.Sprintf("nf-%d", i)
			if by := c.call(t, e.url, id); by != "secondary" {
				t.Fatalf("served by %q, want secondary", by)
			}
			apptest.EventuallyAttemptsFor(t, e.primary, id, c.attempts)
		})
	}
}

func chatBy(t *testing.T, base, id string) string {
	t.Helper()
	c := client(base, id)
	res, err := c.Chat.Completions.New(context.Background(), openai.ChatCompletionNewParams{
		Model: "gpt-4o-mini", Messages: []openai.ChatCompletionMessageParamUnion{openai.UserMessage("hi " + llm.Tag(id))}, User: openai.String(id)})
	if err != nil {
		t.Fatal(err)
	}
	a, err := llm.Verify(res.Choices[0].Message.Content)
	if err != nil {
		t.Fatal(err)
	}
	return a.Upstream
}

func responsesBy(stream bool) func(t *testing.T, base, id string) string {
	return func(t *testing.T, base, id string) string {
		t.Helper()
		r := respond(t, base, id, responsesParams(id, false), stream)
		a, err := llm.Verify(r.OutputText())
		if err != nil {
			t.Fatal(err)
		}
		return a.Upstream
	}
}

// TestNeverRetriesNonRetryable: with both upstreams answering a context-length error,
// the client gets the error and each upstream saw the request once.
func TestNeverRetriesNonRetryable(t *testing.T) {
	e := newEnv(t, nil)
	apptest.SetFault(t, e.primary, control.Fault{Type: control.TypeContextLength})
	apptest.SetFault(t, e.secondary, control.Fault{Type: control.TypeContextLength})
	c := client(e.url, "nr-1")
	_, err := c.Chat.Completions.New(context.Background(), openai.ChatCompletionNewParams{
		Model: "gpt-4o-mini", Messages: []openai.ChatCompletionMessageParamUnion{openai.UserMessage("hi " + llm.Tag("nr-1"))}})
	var apiErr *openai.Error
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 400 {
		t.Fatalf("err %v, want the 400", err)
	}
	apptest.EventuallyAttemptsFor(t, e.primary, "nr-1", 1)
	apptest.EventuallyAttemptsFor(t, e.secondary, "nr-1", 1)
}
