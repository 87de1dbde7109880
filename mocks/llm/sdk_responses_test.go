package llm

import (
	"context"
	"errors"
	"testing"

	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/option"
	"github.com/openai/openai-go/v3/responses"
)

// openai-go's Responses API client, unmodified, against the mock.

func responseParams(tag string) responses.ResponseNewParams {
	return responses.ResponseNewParams{
		Model: "gpt-4o-mini",
		Input: responses.ResponseNewParamsInputUnion{OfString: openai.String("say something " + Tag(tag))},
	}
}

// streamResponse streams p and returns the terminal event's response (completed,
// incomplete or failed; nil when none came), the text gathered from the deltas, the
// event types in order, and the stream's error.
func streamResponse(ctx context.Context, c *openai.Client, p responses.ResponseNewParams) (*responses.Response, string, []string, error) {
	stream := c.Responses.NewStreaming(ctx, p)
	defer stream.Close()
	var final *responses.Response
	var text []byte
	var types []string
	for stream.Next() {
		ev := stream.Current()
		types = append(types, ev.Type)
		switch e := ev.AsAny().(type) {
		case responses.ResponseTextDeltaEvent:
			text = append(text, e.Delta...)
		case responses.ResponseCompletedEvent:
			final = &e.Response
		case responses.ResponseIncompleteEvent:
			final = &e.Response
		case responses.ResponseFailedEvent:
			final = &e.Response
		}
	}
	return final, string(text), types, stream.Err()
}

func TestOpenAISDKResponsesWholeAndStreamed(t *testing.T) {
	s, hs := start(t)
	c := openAIClient(hs.URL)
	ctx := context.Background()

	got, err := c.Responses.New(ctx, responseParams("resp-1"))
	if err != nil {
		t.Fatal(err)
	}
	if a, err := Verify(got.OutputText()); err != nil || a.ID != "resp-1" || a.Upstream != "primary" {
		t.Fatalf("whole answer: %+v, %v (%q)", a, err, got.OutputText())
	}
	if got.Status != responses.ResponseStatusCompleted || got.Usage.OutputTokens != DefaultAnswerWords+2 || got.Usage.TotalTokens == 0 {
		t.Fatalf("whole response: status %q usage %+v", got.Status, got.Usage)
	}

	final, text, types, err := streamResponse(ctx, c, responseParams("resp-2"))
	if err != nil || final == nil {
		t.Fatalf("stream: %v, final %v", err, final)
	}
	for _, s := range []string{text, final.OutputText()} {
		if a, err := Verify(s); err != nil || a.ID != "resp-2" {
			t.Fatalf("streamed answer: %+v, %v", a, err)
		}
	}
	want := []string{"response.created", "response.in_progress", "response.output_item.added", "response.content_part.added", "response.output_text.delta"}
	for i, w := range want {
		if types[i] != w {
			t.Fatalf("events %v, want them to start %v", types, want)
		}
	}
	tail := types[len(types)-4:]
	if tail[0] != "response.output_text.done" || tail[1] != "response.content_part.done" || tail[2] != "response.output_item.done" || tail[3] != "response.completed" {
		t.Fatalf("events end %v", tail)
	}
	at := waitAttempts(t, s, 2)
	if at[0].Path != "/v1/responses" || !at[0].Complete || !at[1].Stream || !at[1].Complete || at[1].CorrelationID != "resp-2" {
		t.Fatalf("journal %+v", at)
	}
}

// TestOpenAISDKResponsesContinue: a stored response is continued with
// previous_response_id (its correlation id carries over); an unknown id is the API's
// 400 previous_response_not_found, which the SDK does not retry; store: false is not kept.
func TestOpenAISDKResponsesContinue(t *testing.T) {
	s, hs := start(t)
	c := openAIClient(hs.URL)
	ctx := context.Background()
	first, err := c.Responses.New(ctx, responseParams("conv-1"))
	if err != nil {
		t.Fatal(err)
	}
	p := responses.ResponseNewParams{
		Model:              "gpt-4o-mini",
		PreviousResponseID: openai.String(first.ID),
		Input:              responses.ResponseNewParamsInputUnion{OfString: openai.String("and more")},
	}
	next, err := c.Responses.New(ctx, p)
	if err != nil {
		t.Fatal(err)
	}
	if a, err := Verify(next.OutputText()); err != nil || a.ID != "conv-1" || next.PreviousResponseID != first.ID {
		t.Fatalf("continued answer %+v, %v; previous %q", a, err, next.PreviousResponseID)
	}

	p.PreviousResponseID = openai.String("resp_nobody")
	_, err = c.Responses.New(ctx, p)
	var apiErr *openai.Error
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 400 || apiErr.Code != "previous_response_not_found" || apiErr.Param != "previous_response_id" {
		t.Fatalf("unknown previous id: %v", err)
	}

	unstored := responseParams("conv-2")
	unstored.Store = openai.Bool(false)
	gone, err := c.Responses.New(ctx, unstored)
	if err != nil {
		t.Fatal(err)
	}
	p.PreviousResponseID = openai.String(gone.ID)
	if _, err := c.Responses.New(ctx, p); !errors.As(err, &apiErr) || apiErr.Code != "previous_response_not_found" {
		t.Fatalf("continuing a response stored with store:false: %v", err)
	}
	if at := waitAttempts(t, s, 5); len(at) != 5 || !at[2].NonRetryable || at[2].RetryCount != 0 {
		t.Fatalf("journal: %+v (want 5 attempts, the unknown id answered once, non-retryable)", at)
	}
}

// TestResponsesMaxOutputTokens: an answer longer than max_output_tokens ends there,
// status incomplete with reason max_output_tokens; below 16 is the API's 400.
func TestResponsesMaxOutputTokens(t *testing.T) {
	_, hs := start(t)
	c := openAIClient(hs.URL, option.WithMaxRetries(0))
	p := responseParams("max-1")
	p.MaxOutputTokens = openai.Int(20)
	got, err := c.Responses.New(context.Background(), p)
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != responses.ResponseStatusIncomplete || got.IncompleteDetails.Reason != "max_output_tokens" || got.Usage.OutputTokens != 20 {
		t.Fatalf("status %q details %+v usage %+v", got.Status, got.IncompleteDetails, got.Usage)
	}
	if _, err := Verify(got.OutputText()); err == nil {
		t.Fatal("an answer cut at max_output_tokens verifies as whole")
	}
	p.MaxOutputTokens = openai.Int(5)
	var apiErr *openai.Error
	if _, err := c.Responses.New(context.Background(), p); !errors.As(err, &apiErr) || apiErr.Code != "integer_below_min_value" {
		t.Fatalf("max_output_tokens 5: %v", err)
	}
}
