package harness

import (
	"bufio"
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/llmchaos/llmchaos/mocks/llm"
)

// TestMocksServeH2CThroughToxiproxy: every mock accepts HTTP/2 cleartext with prior
// knowledge (what the AWS SDK for JavaScript sends to an http:// Bedrock endpoint), and
// Toxiproxy, a TCP proxy, passes it through: a streamed answer arrives whole over h2c
// through the proxy, and directly from the mock.
func TestMocksServeH2CThroughToxiproxy(t *testing.T) {
	env, err := NewEnv(context.Background(), []UpstreamSpec{{Name: "primary", Kind: KindOpenAI, AnswerWords: 12}}, 1)
	if err != nil {
		t.Fatal(err)
	}
	defer env.Close()
	p := new(http.Protocols)
	p.SetUnencryptedHTTP2(true)
	c := &http.Client{Transport: &http.Transport{Protocols: p}}
	defer c.CloseIdleConnections()
	u, _ := env.Upstream("primary")
	for _, base := range []string{u.URL, u.MockURL} {
		body := `{"model":"m","stream":true,"messages":[{"role":"user","content":"hi [llmchaos-id:h2c-1]"}]}`
		res, err := c.Post(base+"/v1/chat/completions", "application/json", strings.NewReader(body))
		if err != nil {
			t.Fatalf("%s: h2c request: %v", base, err)
		}
		var text strings.Builder
		done := false
		sc := bufio.NewScanner(res.Body)
		for sc.Scan() {
			data, ok := strings.CutPrefix(sc.Text(), "data: ")
			if !ok {
				continue
			}
			if data == "[DONE]" {
				done = true
				break
			}
			var chunk struct {
				Choices []struct {
					Delta struct{ Content string } `json:"delta"`
				} `json:"choices"`
			}
			if err := json.Unmarshal([]byte(data), &chunk); err != nil {
				t.Fatalf("chunk %q: %v", data, err)
			}
			for _, ch := range chunk.Choices {
				text.WriteString(ch.Delta.Content)
			}
		}
		res.Body.Close()
		if res.ProtoMajor != 2 || !done {
			t.Fatalf("%s: answered over %s, [DONE] seen %v: want a whole stream over HTTP/2", base, res.Proto, done)
		}
		if a, err := llm.Verify(text.String()); err != nil || a.ID != "h2c-1" {
			t.Errorf("%s: answer %+v, %v: want a whole answer for h2c-1", base, a, err)
		}
	}
}
