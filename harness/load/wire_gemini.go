package load

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/llmchaos/llmchaos/harness/tmpl"
)

// DefaultGeminiModel is the model a gemini request names in its path when Request.Model is empty.
const DefaultGeminiModel = "gemini-2.0-flash"

// gemini speaks the Gemini API: generateContent, or streamGenerateContent with alt=sse
// (server-sent events with no end sentinel: the chunk with a finishReason is the last).
type gemini struct {
	model  string
	stream bool
	prompt string
}

var _ wireProtocol = (*gemini)(nil)

type geminiPart struct {
	Text string `json:"text"`
}

type geminiContent struct {
	Role  string       `json:"role"`
	Parts []geminiPart `json:"parts"`
}

func (p *gemini) defaults() (string, string) {
	if p.stream {
		return http.MethodPost, "/v1beta/models/" + p.model + ":streamGenerateContent?alt=sse"
	}
	return http.MethodPost, "/v1beta/models/" + p.model + ":generateContent"
}

func (p *gemini) success(status int) bool { return protoIs2xx(status) }

// body is a GenerateContentRequest with one user turn (the prompt and the tag); Gemini
// has no request field for a user id, so the id travels in X-Request-Id and the tag.
func (p *gemini) body(data *tmpl.Request) ([]byte, http.Header, error) {
	b, err := json.Marshal(struct {
		Contents []geminiContent `json:"contents"`
	}{[]geminiContent{{Role: "user", Parts: []geminiPart{{Text: protoPrompt(p.prompt, data.ID)}}}}})
	h := http.Header{"Content-Type": {"application/json"}}
	if p.stream {
		h.Set("Accept", "text/event-stream")
	}
	return b, h, err
}

// geminiResponse is a GenerateContentResponse, one stream chunk of it, or Google's error body.
type geminiResponse struct {
	Candidates []struct {
		Content struct {
			Parts []struct {
				Text string `json:"text"`
			} `json:"parts"`
		} `json:"content"`
		FinishReason string `json:"finishReason"`
	} `json:"candidates"`
	PromptFeedback *struct {
		BlockReason string `json:"blockReason"`
	} `json:"promptFeedback"`
	Error *struct {
		Code    int    `json:"code"`
		Message string `json:"message"`
		Status  string `json:"status"`
	} `json:"error"`
}

// refusal says why r holds no answer (an error object, a blocked prompt), "" when it may.
func (r *geminiResponse) refusal() string {
	switch {
	case r.Error != nil:
		return fmt.Sprintf("%d %s: %s", r.Error.Code, r.Error.Status, driverClip(r.Error.Message, 120))
	case len(r.Candidates) == 0 && r.PromptFeedback != nil && r.PromptFeedback.BlockReason != "":
		return "prompt blocked: " + r.PromptFeedback.BlockReason
	}
	return ""
}

// text is the first candidate's text and its finishReason.
func (r *geminiResponse) text() (string, string) {
	if len(r.Candidates) == 0 {
		return "", ""
	}
	var b strings.Builder
	for _, part := range r.Candidates[0].Content.Parts {
		b.WriteString(part.Text)
	}
	return b.String(), r.Candidates[0].FinishReason
}

func (p *gemini) decode(body io.Reader, mark func(), _ int) protoDecoded {
	if p.stream {
		return p.decodeStream(body, mark)
	}
	b, failed, ok := protoReadBody(body)
	if !ok {
		return failed
	}
	var r geminiResponse
	if err := json.Unmarshal(b, &r); err != nil {
		return protoDecoded{text: string(b), outcome: OutcomeMalformed, detail: "body is not a GenerateContentResponse: " + err.Error()}
	}
	if why := r.refusal(); why != "" {
		return protoDecoded{outcome: OutcomeHTTPError, detail: "no answer with a 2xx status: " + why}
	}
	text, finish := r.text()
	if finish == "" {
		return protoDecoded{text: string(b), outcome: OutcomeMalformed, detail: "GenerateContentResponse has no candidates[0].finishReason"}
	}
	return protoVerify(text)
}

func (p *gemini) decodeStream(body io.Reader, mark func()) protoDecoded {
	sse := newProtoSSEReader(body)
	text := &protoText{mark: mark}
	for {
		ev, err := sse.next()
		switch {
		case err == io.EOF:
			return protoDecoded{text: text.String(), outcome: OutcomeIncomplete, detail: "stream ended without a chunk with finishReason"}
		case errors.Is(err, errProtoSSEMalformed):
			return protoDecoded{text: text.String(), outcome: OutcomeMalformed, detail: err.Error()}
		case err != nil:
			return protoDecoded{text: text.String(), readErr: err}
		}
		var r geminiResponse
		if err := json.Unmarshal([]byte(ev.data), &r); err != nil {
			return protoDecoded{text: text.String(), outcome: OutcomeMalformed, detail: fmt.Sprintf("stream chunk %q does not parse: %v", driverClip(ev.data, 60), err)}
		}
		if why := r.refusal(); why != "" {
			return protoDecoded{text: text.String(), outcome: OutcomeHTTPError, detail: "stream error chunk: " + why}
		}
		piece, finish := r.text()
		text.WriteString(piece)
		if finish != "" {
			return protoVerify(text.String())
		}
	}
}
