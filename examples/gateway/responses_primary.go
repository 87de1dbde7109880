package main

import (
	"context"

	"github.com/openai/openai-go/v3/option"
	"github.com/openai/openai-go/v3/responses"
)

var _ responsesProvider = (*openAIProvider)(nil)

// respond relays one Responses API request to the OpenAI upstream: the body as it came,
// the events as they come. A response.failed, an error event, a stream without a
// terminal event, or a function call whose arguments are not whole is a cutError.
func (p *openAIProvider) respond(ctx context.Context, req *responsesRequest, meta requestMeta, out responseSink) error {
	opts := []option.RequestOption{option.WithRequestBody("application/json", req.raw)}
	if meta.requestID != "" {
		opts = append(opts, option.WithHeader("X-Request-Id", meta.requestID))
	}
	if !req.Stream {
		res, err := p.client.Responses.New(ctx, responses.ResponseNewParams{}, opts...)
		if err != nil {
			return err
		}
		if err := judgeResponse(res); err != nil {
			return err
		}
		out.whole([]byte(res.RawJSON()))
		return nil
	}
	stream := p.client.Responses.NewStreaming(ctx, responses.ResponseNewParams{}, opts...)
	defer stream.Close()
	for stream.Next() {
		ev := stream.Current()
		switch ev.Type {
		case "response.failed", "response.completed", "response.incomplete":
			r := ev.Response
			if err := judgeResponse(&r); err != nil {
				return err
			}
			out.event(ev.Type, []byte(ev.RawJSON()))
			out.end()
			return nil
		}
		if !out.event(ev.Type, []byte(ev.RawJSON())) {
			return context.Canceled
		}
	}
	if err := stream.Err(); err != nil {
		return err
	}
	return &cutError{msg: "responses stream ended without response.completed"}
}

// judgeResponse refuses a failed response, and one whose function calls' arguments are
// not whole JSON objects.
func judgeResponse(r *responses.Response) error {
	if r.Status == "failed" {
		return &cutError{msg: "response.failed: " + string(r.Error.Code) + ": " + r.Error.Message}
	}
	for _, it := range r.Output {
		if it.Type == "function_call" && !argumentsWhole(it.Arguments.OfString) {
			return &cutError{msg: "function call " + it.Name + " has cut arguments: " + clip(it.Arguments.OfString, 40)}
		}
	}
	return nil
}

func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
