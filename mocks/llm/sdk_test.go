package llm

import (
	"context"
	"testing"
	"time"

	"github.com/anthropics/anthropic-sdk-go"
	aoption "github.com/anthropics/anthropic-sdk-go/option"
	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/option"
)

// The real SDKs, unmodified, pointed at the mock.

func openAIClient(url string, opts ...option.RequestOption) *openai.Client {
	c := openai.NewClient(append([]option.RequestOption{option.WithBaseURL(url + "/v1"), option.WithAPIKey("test")}, opts...)...)
	return &c
}

func anthropicClient(url string, opts ...aoption.RequestOption) *anthropic.Client {
	c := anthropic.NewClient(append([]aoption.RequestOption{aoption.WithBaseURL(url), aoption.WithAPIKey("test")}, opts...)...)
	return &c
}

func chatParams(tag string) openai.ChatCompletionNewParams {
	return openai.ChatCompletionNewParams{
		Model:    "gpt-4o-mini",
		Messages: []openai.ChatCompletionMessageParamUnion{openai.UserMessage("say something " + Tag(tag))},
	}
}

func messageParams(tag string) anthropic.MessageNewParams {
	return anthropic.MessageNewParams{
		Model:     "claude-test",
		MaxTokens: 256,
		Messages:  []anthropic.MessageParam{anthropic.NewUserMessage(anthropic.NewTextBlock("say something " + Tag(tag)))},
	}
}

// streamOpenAI streams params and returns the accumulated completion and the stream's error.
func streamOpenAI(ctx context.Context, c *openai.Client, p openai.ChatCompletionNewParams) (openai.ChatCompletionAccumulator, error) {
	stream := c.Chat.Completions.NewStreaming(ctx, p)
	defer stream.Close()
	var acc openai.ChatCompletionAccumulator
	for stream.Next() {
		acc.AddChunk(stream.Current())
	}
	return acc, stream.Err()
}

// streamAnthropic streams params and returns the accumulated message and the stream's error.
func streamAnthropic(ctx context.Context, c *anthropic.Client, p anthropic.MessageNewParams) (anthropic.Message, error) {
	stream := c.Messages.NewStreaming(ctx, p)
	defer stream.Close()
	var msg anthropic.Message
	for stream.Next() {
		if err := msg.Accumulate(stream.Current()); err != nil {
			return msg, err
		}
	}
	return msg, stream.Err()
}

func text(m anthropic.Message) string {
	if len(m.Content) == 0 {
		return ""
	}
	return m.Content[0].Text
}

func TestOpenAISDKWholeAndStreamed(t *testing.T) {
	s, hs := start(t)
	c := openAIClient(hs.URL)
	ctx := context.Background()

	got, err := c.Chat.Completions.New(ctx, chatParams("sdk-1"), option.WithHeader("X-Request-Id", "hdr-1"))
	if err != nil {
		t.Fatal(err)
	}
	if a, err := Verify(got.Choices[0].Message.Content); err != nil || a.ID != "hdr-1" || a.Upstream != "primary" {
		t.Fatalf("whole answer: %+v, %v", a, err)
	}
	if got.Usage.CompletionTokens != DefaultAnswerWords+2 || got.Choices[0].FinishReason != "stop" {
		t.Fatalf("whole answer %+v", got)
	}

	p := chatParams("sdk-2")
	p.StreamOptions = openai.ChatCompletionStreamOptionsParam{IncludeUsage: openai.Bool(true)}
	acc, err := streamOpenAI(ctx, c, p)
	if err != nil {
		t.Fatal(err)
	}
	if a, err := Verify(acc.Choices[0].Message.Content); err != nil || a.ID != "sdk-2" {
		t.Fatalf("streamed answer: %+v, %v", a, err)
	}
	if acc.Usage.TotalTokens == 0 || acc.Choices[0].FinishReason != "stop" {
		t.Fatalf("accumulated %+v", acc.ChatCompletion)
	}
	at := waitAttempts(t, s, 2)
	if at[0].RetryCount != 0 || at[0].CorrelationID != "hdr-1" || !at[1].Stream || !at[1].Complete || at[1].CorrelationID != "sdk-2" {
		t.Fatalf("journal %+v", at)
	}
}

func TestAnthropicSDKWholeAndStreamed(t *testing.T) {
	s, hs := start(t, WithName("secondary"))
	c := anthropicClient(hs.URL)
	ctx := context.Background()

	p := messageParams("sdk-3")
	p.Metadata = anthropic.MetadataParam{UserID: anthropic.String("user-3")}
	got, err := c.Messages.New(ctx, p)
	if err != nil {
		t.Fatal(err)
	}
	if a, err := Verify(text(*got)); err != nil || a.ID != "user-3" || a.Upstream != "secondary" {
		t.Fatalf("whole answer: %+v, %v", a, err)
	}
	if got.StopReason != anthropic.StopReasonEndTurn || got.Usage.OutputTokens != DefaultAnswerWords+2 {
		t.Fatalf("whole answer %+v", got)
	}

	msg, err := streamAnthropic(ctx, c, messageParams("sdk-4"))
	if err != nil {
		t.Fatal(err)
	}
	if a, err := Verify(text(msg)); err != nil || a.ID != "sdk-4" {
		t.Fatalf("streamed answer: %+v, %v", a, err)
	}
	if msg.StopReason != anthropic.StopReasonEndTurn || msg.Usage.OutputTokens != DefaultAnswerWords+2 {
		t.Fatalf("streamed message %+v", msg)
	}
	at := waitAttempts(t, s, 2)
	if at[0].RetryCount != 0 || !at[1].Stream || !at[1].Complete {
		t.Fatalf("journal %+v", at)
	}
}

func TestSlowTokensPaceTheStream(t *testing.T) {
	s, hs := start(t, WithAnswerWords(4))
	setFault(t, s, faultSlow(100*time.Millisecond, 20*time.Millisecond))
	begin := time.Now()
	acc, err := streamOpenAI(context.Background(), openAIClient(hs.URL), chatParams("slow"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Verify(acc.Choices[0].Message.Content); err != nil {
		t.Fatal(err)
	}
	// ttft + 5 gaps of token delay at least; no upper bound (noisy machines).
	if el := time.Since(begin); el < 200*time.Millisecond {
		t.Fatalf("slow stream took %v, want >= 200ms", el)
	}
	if a := waitAttempts(t, s, 1)[0]; a.Fault != "slow-tokens" || a.Duration < 200*time.Millisecond || !a.Complete {
		t.Fatalf("attempt %+v", a)
	}
}
