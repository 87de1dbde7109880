package main

import "context"

// provider is one upstream LLM API as the gateway sees it: answers in OpenAI format.
type provider interface {
	// name is the upstream's name in logs, spans and headers ("primary", "secondary").
	name() string
	// complete returns a whole non-stream answer as OpenAI chat.completion JSON.
	complete(ctx context.Context, req *chatRequest, meta requestMeta) (*completion, error)
	// stream starts a streamed answer; it returns once the upstream answered with headers
	// (or failed). The chunks come out in OpenAI chat.completion.chunk format.
	stream(ctx context.Context, req *chatRequest, meta requestMeta) (chunkStream, error)
}

// requestMeta is what the gateway passes through to every upstream.
type requestMeta struct {
	requestID string // X-Request-Id
	user      string // OpenAI user / Anthropic metadata.user_id
}

// completion is a whole answer.
type completion struct {
	raw  []byte // OpenAI chat.completion JSON
	text string // the assistant's text
	// complete is false when the answer carries no finish reason (cut or malformed).
	complete bool
	// toolsErr says why the answer's tool calls are not whole (cut arguments); nil when
	// they are, or when there are none.
	toolsErr error
}

// chunk is one OpenAI stream chunk.
type chunk struct {
	raw     []byte // chat.completion.chunk JSON
	content string // the text delta it carries
}

// chunkStream is an upstream stream translated to OpenAI chunks.
type chunkStream interface {
	// next reads the next chunk; false at the end or on error.
	next() bool
	current() chunk
	// err is why next returned false, nil at a clean end of the body.
	err() error
	// ended reports whether the upstream ended the stream properly (finish_reason /
	// message_stop); a body that stops without it was cut.
	ended() bool
	// toolsErr says why the tool calls streamed so far are not whole (nil: whole, or none).
	toolsErr() error
	close()
}
