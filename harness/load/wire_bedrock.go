package load

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws/protocol/eventstream"
	"github.com/llmchaos/llmchaos/harness/tmpl"
	"github.com/llmchaos/llmchaos/mocks/llm"
)

// DefaultBedrockModel is the modelId a bedrock-converse request names when Request.Model is empty.
const DefaultBedrockModel = "anthropic.claude-3-5-haiku-20241022-v1:0"

// bedrockConverse speaks Amazon Bedrock's Converse API: /converse (a JSON answer) or
// /converse-stream (the AWS event-stream framing, read with the AWS SDK's own decoder,
// which checks both CRCs). The request is not signed: point it at an app or a mock.
type bedrockConverse struct {
	model  string
	stream bool
	prompt string
}

var _ wireProtocol = (*bedrockConverse)(nil)

func (p *bedrockConverse) defaults() (string, string) {
	path := "/model/" + url.PathEscape(p.model) + "/converse"
	if p.stream {
		path += "-stream"
	}
	return http.MethodPost, path
}

func (p *bedrockConverse) success(status int) bool { return protoIs2xx(status) }

type bedrockText struct {
	Text string `json:"text"`
}

type bedrockMessage struct {
	Role    string        `json:"role"`
	Content []bedrockText `json:"content"`
}

// body is a Converse request with one user message (the prompt and the tag) and the id
// in requestMetadata (llm.BedrockCorrelationKey).
func (p *bedrockConverse) body(data *tmpl.Request) ([]byte, http.Header, error) {
	b, err := json.Marshal(struct {
		Messages        []bedrockMessage  `json:"messages"`
		RequestMetadata map[string]string `json:"requestMetadata"`
	}{
		Messages:        []bedrockMessage{{Role: "user", Content: []bedrockText{{Text: protoPrompt(p.prompt, data.ID)}}}},
		RequestMetadata: map[string]string{llm.BedrockCorrelationKey: data.ID},
	})
	h := http.Header{"Content-Type": {"application/json"}}
	if p.stream {
		h.Set("Accept", "application/vnd.amazon.eventstream")
	}
	return b, h, err
}

func (p *bedrockConverse) decode(body io.Reader, mark func(), _ int) protoDecoded {
	if p.stream {
		return p.decodeStream(body, mark)
	}
	b, failed, ok := protoReadBody(body)
	if !ok {
		return failed
	}
	var r struct {
		Output *struct {
			Message struct {
				Content []bedrockText `json:"content"`
			} `json:"message"`
		} `json:"output"`
		StopReason string  `json:"stopReason"`
		Message    *string `json:"message"`
	}
	if err := json.Unmarshal(b, &r); err != nil {
		return protoDecoded{text: string(b), outcome: OutcomeMalformed, detail: "body is not a Converse response: " + err.Error()}
	}
	if r.Output == nil {
		if r.Message != nil {
			return protoDecoded{outcome: OutcomeHTTPError, detail: "error body with a 2xx status: " + driverClip(*r.Message, 120)}
		}
		return protoDecoded{text: string(b), outcome: OutcomeMalformed, detail: "Converse response has no output"}
	}
	if r.StopReason == "" {
		return protoDecoded{text: string(b), outcome: OutcomeMalformed, detail: "Converse response has no stopReason"}
	}
	var text strings.Builder
	for _, c := range r.Output.Message.Content {
		text.WriteString(c.Text)
	}
	return protoVerify(text.String())
}

// errBedrockTooBig marks an event stream longer than DefaultMaxBodyBytes.
var errBedrockTooBig = fmt.Errorf("event stream longer than %d bytes", DefaultMaxBodyBytes)

// bedrockLimit reads at most DefaultMaxBodyBytes, then fails with errBedrockTooBig
// (the AWS decoder believes a frame's declared length).
type bedrockLimit struct {
	r    io.Reader
	left int64
}

func (l *bedrockLimit) Read(p []byte) (int, error) {
	if l.left <= 0 {
		return 0, errBedrockTooBig
	}
	p = p[:min(int64(len(p)), l.left)]
	n, err := l.r.Read(p)
	l.left -= int64(n)
	return n, err
}

// decodeStream reads ConverseStream messages: messageStart first; contentBlockDelta's
// text is the answer; messageStop is the end marker; an exception or error message is
// an error inside the stream.
func (p *bedrockConverse) decodeStream(body io.Reader, mark func()) protoDecoded {
	dec := eventstream.NewDecoder()
	r := &bedrockLimit{r: body, left: DefaultMaxBodyBytes}
	text := &protoText{mark: mark}
	started := false
	var buf []byte
	for {
		m, err := dec.Decode(r, buf[:0])
		if err != nil {
			return bedrockStreamFailure(text.String(), err)
		}
		buf = m.Payload
		kind, event := bedrockHeader(m, ":message-type"), bedrockHeader(m, ":event-type")
		switch {
		case kind == "exception":
			return protoDecoded{text: text.String(), outcome: OutcomeHTTPError,
				detail: fmt.Sprintf("stream exception %s: %s", bedrockHeader(m, ":exception-type"), driverClip(string(m.Payload), 120))}
		case kind == "error":
			return protoDecoded{text: text.String(), outcome: OutcomeHTTPError,
				detail: fmt.Sprintf("stream error %s: %s", bedrockHeader(m, ":error-code"), driverClip(bedrockHeader(m, ":error-message"), 120))}
		case kind != "event":
			return protoDecoded{text: text.String(), outcome: OutcomeMalformed, detail: fmt.Sprintf("stream message of type %q, want event or exception", kind)}
		case event == "messageStart":
			if started {
				return protoDecoded{text: text.String(), outcome: OutcomeMalformed, detail: "stream has a second messageStart"}
			}
			started = true
			continue
		case !started:
			return protoDecoded{text: text.String(), outcome: OutcomeMalformed, detail: fmt.Sprintf("stream event %q before messageStart", event)}
		case event == "messageStop":
			return protoVerify(text.String())
		case event != "contentBlockDelta":
			continue // contentBlockStart, contentBlockStop, metadata
		}
		var d struct {
			Delta struct {
				Text string `json:"text"`
			} `json:"delta"`
		}
		if err := json.Unmarshal(m.Payload, &d); err != nil {
			return protoDecoded{text: text.String(), outcome: OutcomeMalformed, detail: fmt.Sprintf("contentBlockDelta %q does not parse: %v", driverClip(string(m.Payload), 60), err)}
		}
		text.WriteString(d.Delta.Text)
	}
}

// bedrockStreamFailure judges a failed Decode: the stream's end between messages
// (no messageStop), a frame that fails its CRC or length checks, or a read error.
func bedrockStreamFailure(text string, err error) protoDecoded {
	var ce eventstream.ChecksumError
	var le eventstream.LengthError
	switch {
	case err == io.EOF:
		return protoDecoded{text: text, outcome: OutcomeIncomplete, detail: "stream ended without messageStop"}
	case errors.As(err, &ce), errors.As(err, &le), errors.Is(err, errBedrockTooBig):
		return protoDecoded{text: text, outcome: OutcomeMalformed, detail: "event stream frame: " + err.Error()}
	}
	return protoDecoded{text: text, readErr: err}
}

// bedrockHeader is m's string header name, "" when m has none.
func bedrockHeader(m eventstream.Message, name string) string {
	if v := m.Headers.Get(name); v != nil {
		return v.String()
	}
	return ""
}
