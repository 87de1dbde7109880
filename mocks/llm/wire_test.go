package llm

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
)

const (
	openAIReqBody    = `{"model":"gpt-4o-mini","messages":[{"role":"user","content":"hi ` + `[llmchaos-id:tag-1]"}]}`
	anthropicReqBody = `{"model":"claude-x","max_tokens":64,"messages":[{"role":"user","content":[{"type":"text","text":"hi [llmchaos-id:tag-2]"}]}]}`
)

func TestOpenAIWholeAnswerWireFormat(t *testing.T) {
	s, hs := start(t, WithAnswerWords(5))
	res := post(t, hs.URL+"/v1/chat/completions", openAIReqBody)
	body := readAll(t, res.Body)
	if res.StatusCode != 200 || !strings.HasPrefix(res.Header.Get("Content-Type"), "application/json") || res.Header.Get("x-request-id") == "" {
		t.Fatalf("status %d headers %v", res.StatusCode, res.Header)
	}
	var got struct {
		ID      string `json:"id"`
		Object  string `json:"object"`
		Created int64  `json:"created"`
		Model   string `json:"model"`
		Choices []struct {
			Index   int `json:"index"`
			Message struct {
				Role    string  `json:"role"`
				Content string  `json:"content"`
				Refusal *string `json:"refusal"`
			} `json:"message"`
			FinishReason string `json:"finish_reason"`
			Logprobs     any    `json:"logprobs"`
		} `json:"choices"`
		Usage struct{ PromptTokens, CompletionTokens, TotalTokens int } `json:"usage"`
	}
	if err := json.Unmarshal(body, &got); err != nil {
		t.Fatalf("%v: %s", err, body)
	}
	var usage map[string]map[string]int
	_ = json.Unmarshal(body, &usage)
	u := usage["usage"]
	if got.Object != "chat.completion" || got.ID == "" || got.Created == 0 || got.Model != "gpt-4o-mini" ||
		len(got.Choices) != 1 || got.Choices[0].Message.Role != "assistant" || got.Choices[0].FinishReason != "stop" ||
		got.Choices[0].Message.Refusal != nil || u["completion_tokens"] != 7 || u["total_tokens"] != u["prompt_tokens"]+7 {
		t.Fatalf("answer %s", body)
	}
	a, err := Verify(got.Choices[0].Message.Content)
	if err != nil || a.ID != "tag-1" || a.Upstream != "primary" || a.Words != 5 {
		t.Fatalf("Verify = %+v, %v", a, err)
	}
	at := waitAttempts(t, s, 1)[0]
	if at.Status != 200 || !at.Complete || at.Cut || at.CorrelationID != "tag-1" || at.RetryCount != -1 ||
		at.Stream || at.Bytes != int64(len(body)) || at.Path != "/v1/chat/completions" || at.Seq != 1 {
		t.Fatalf("attempt %+v", at)
	}
}

func TestOpenAIStreamWireFormat(t *testing.T) {
	for _, usage := range []bool{false, true} {
		_, hs := start(t, WithAnswerWords(4))
		body := `{"model":"m","stream":true,"messages":[{"role":"user","content":"x"}],"user":"u-1"}`
		if usage {
			body = `{"model":"m","stream":true,"stream_options":{"include_usage":true},"messages":[{"role":"user","content":"x"}],"user":"u-1"}`
		}
		res := post(t, hs.URL+"/v1/chat/completions", body)
		if ct := res.Header.Get("Content-Type"); res.StatusCode != 200 || !strings.HasPrefix(ct, "text/event-stream") {
			t.Fatalf("status %d content-type %q", res.StatusCode, ct)
		}
		events := readSSE(t, readAll(t, res.Body))
		want := 1 + 6 + 1 + 1 // role chunk, head+4 words+marker, finish chunk, [DONE]
		if usage {
			want++
		}
		if len(events) != want {
			t.Fatalf("usage=%v: %d events, want %d: %+v", usage, len(events), want, events)
		}
		if events[len(events)-1].data != "[DONE]" {
			t.Fatalf("last event %+v", events[len(events)-1])
		}
		var text strings.Builder
		var id string
		for i, e := range events[:len(events)-1] {
			if e.event != "" {
				t.Fatalf("OpenAI streams carry no event names: %+v", e)
			}
			c := decode(t, e.data)
			if c["object"] != "chat.completion.chunk" || c["model"] != "m" {
				t.Fatalf("chunk %d: %s", i, e.data)
			}
			if id == "" {
				id = c["id"].(string)
			} else if c["id"] != id {
				t.Fatalf("chunk ids differ: %s", e.data)
			}
			u, has := c["usage"]
			if has != usage {
				t.Fatalf("usage=%v but chunk %d has usage=%v: %s", usage, i, has, e.data)
			}
			choices := c["choices"].([]any)
			if usage && i == len(events)-2 {
				if len(choices) != 0 || u == nil || u.(map[string]any)["completion_tokens"].(float64) != 6 {
					t.Fatalf("usage chunk %s", e.data)
				}
				continue
			}
			if usage && u != nil {
				t.Fatalf("chunk %d usage must be null: %s", i, e.data)
			}
			ch := choices[0].(map[string]any)
			delta := ch["delta"].(map[string]any)
			switch {
			case i == 0:
				if delta["role"] != "assistant" || delta["content"] != "" || ch["finish_reason"] != nil {
					t.Fatalf("first chunk %s", e.data)
				}
			case i == 7:
				if len(delta) != 0 || ch["finish_reason"] != "stop" {
					t.Fatalf("finish chunk %s", e.data)
				}
			default:
				text.WriteString(delta["content"].(string))
			}
		}
		if a, err := Verify(text.String()); err != nil || a.ID != "u-1" {
			t.Fatalf("Verify = %+v, %v", a, err)
		}
	}
}

func TestAnthropicWholeAnswerWireFormat(t *testing.T) {
	_, hs := start(t, WithName("secondary"))
	res := post(t, hs.URL+"/v1/messages", anthropicReqBody, "anthropic-version", "2023-06-01")
	body := readAll(t, res.Body)
	if res.StatusCode != 200 || res.Header.Get("request-id") == "" {
		t.Fatalf("status %d headers %v", res.StatusCode, res.Header)
	}
	m := decode(t, string(body))
	content := m["content"].([]any)
	block := content[0].(map[string]any)
	usage := m["usage"].(map[string]any)
	if m["type"] != "message" || m["role"] != "assistant" || m["model"] != "claude-x" || m["stop_reason"] != "end_turn" ||
		m["stop_sequence"] != nil || len(content) != 1 || block["type"] != "text" ||
		usage["output_tokens"].(float64) != DefaultAnswerWords+2 || usage["input_tokens"].(float64) < 1 {
		t.Fatalf("answer %s", body)
	}
	if a, err := Verify(block["text"].(string)); err != nil || a.Upstream != "secondary" || a.ID != "tag-2" {
		t.Fatalf("Verify = %+v, %v", a, err)
	}
}

func TestAnthropicStreamWireFormat(t *testing.T) {
	_, hs := start(t, WithAnswerWords(3))
	body := `{"model":"c","max_tokens":10,"stream":true,"metadata":{"user_id":"u-9"},"messages":[{"role":"user","content":"x"}]}`
	res := post(t, hs.URL+"/v1/messages", body)
	if ct := res.Header.Get("Content-Type"); res.StatusCode != 200 || !strings.HasPrefix(ct, "text/event-stream") {
		t.Fatalf("status %d content-type %q", res.StatusCode, ct)
	}
	events := readSSE(t, readAll(t, res.Body))
	var names []string
	var text strings.Builder
	for _, e := range events {
		names = append(names, e.event)
		d := decode(t, e.data)
		if d["type"] != e.event {
			t.Fatalf("event %s carries type %v", e.event, d["type"])
		}
		switch e.event {
		case "message_start":
			msg := d["message"].(map[string]any)
			if msg["role"] != "assistant" || len(msg["content"].([]any)) != 0 || msg["usage"] == nil || msg["stop_reason"] != nil {
				t.Fatalf("message_start %s", e.data)
			}
		case "content_block_delta":
			delta := d["delta"].(map[string]any)
			if delta["type"] != "text_delta" || d["index"].(float64) != 0 {
				t.Fatalf("delta %s", e.data)
			}
			text.WriteString(delta["text"].(string))
		case "message_delta":
			if d["delta"].(map[string]any)["stop_reason"] != "end_turn" || d["usage"].(map[string]any)["output_tokens"].(float64) != 5 {
				t.Fatalf("message_delta %s", e.data)
			}
		}
	}
	want := "message_start content_block_start ping content_block_delta content_block_delta content_block_delta content_block_delta content_block_delta content_block_stop message_delta message_stop"
	if got := strings.Join(names, " "); got != want {
		t.Fatalf("events\n got %s\nwant %s", got, want)
	}
	if a, err := Verify(text.String()); err != nil || a.ID != "u-9" {
		t.Fatalf("Verify = %+v, %v", a, err)
	}
}

func TestCorrelationIDFromWhicheverCarrierSurvived(t *testing.T) {
	s, hs := start(t)
	cases := []struct {
		name, header, body, want string
	}{
		{"header first", "h-1", `{"model":"m","user":"u-1","messages":[{"role":"user","content":"[llmchaos-id:t-1]"}]}`, "h-1"},
		{"then the user field", "", `{"model":"m","user":"u-1","messages":[{"role":"user","content":"[llmchaos-id:t-1]"}]}`, "u-1"},
		{"then the tag in the last user message", "", `{"model":"m","messages":[{"role":"user","content":"[llmchaos-id:old]"},{"role":"assistant","content":"[llmchaos-id:no]"},{"role":"user","content":[{"type":"text","text":"a [llmchaos-id:t-2]"}]}]}`, "t-2"},
		{"unsafe characters are replaced", "a b\"c", `{"model":"m","messages":[{"role":"user","content":"x"}]}`, "a_b_c"},
		{"else an anonymous id", "", `{"model":"m","messages":[{"role":"user","content":"x"}]}`, "anon-1"},
	}
	for _, c := range cases {
		var h []string
		if c.header != "" {
			h = []string{"X-Request-Id", c.header}
		}
		res := post(t, hs.URL+"/v1/chat/completions", c.body, h...)
		var got struct {
			Choices []struct{ Message struct{ Content string } } `json:"choices"`
		}
		if err := json.Unmarshal(readAll(t, res.Body), &got); err != nil {
			t.Fatal(err)
		}
		if a, err := Verify(got.Choices[0].Message.Content); err != nil || a.ID != c.want {
			t.Errorf("%s: answer id %+v, %v; want %s", c.name, a, err, c.want)
		}
	}
	for i, a := range waitAttempts(t, s, len(cases)) {
		if a.CorrelationID != cases[i].want {
			t.Errorf("%s: journal id %q, want %q", cases[i].name, a.CorrelationID, cases[i].want)
		}
	}
}

func TestModelsAndUnknownRoutes(t *testing.T) {
	s, hs := start(t)
	res, err := http.Get(hs.URL + "/v1/models")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	m := decode(t, string(readAll(t, res.Body)))
	if m["object"] != "list" || m["data"].([]any)[0].(map[string]any)["object"] != "model" {
		t.Fatalf("OpenAI models %v", m)
	}
	req, _ := http.NewRequest(http.MethodGet, hs.URL+"/v1/models", nil)
	req.Header.Set("anthropic-version", "2023-06-01")
	res2, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res2.Body.Close()
	m = decode(t, string(readAll(t, res2.Body)))
	if m["has_more"] != false || m["data"].([]any)[0].(map[string]any)["type"] != "model" {
		t.Fatalf("Anthropic models %v", m)
	}
	res3 := post(t, hs.URL+"/v1/nope", "{}")
	e := decode(t, string(readAll(t, res3.Body)))["error"].(map[string]any)
	if res3.StatusCode != 404 || e["type"] != "invalid_request_error" || e["code"] != "unknown_url" {
		t.Fatalf("404 %d %v", res3.StatusCode, e)
	}
	a := waitAttempts(t, s, 3)
	if !a[0].Complete || a[2].Status != 404 || a[2].Complete || a[2].Error == "" {
		t.Fatalf("journal %+v", a)
	}
}
