package llm

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// The mock must not be the bottleneck. These benchmarks put it side by side with a
// minimal net/http JSON handler behind the same httptest.Server setup and http.Client.
//
//	go test -run XXX -bench . -benchtime 2s ./mocks/llm

const benchBody = `{"model":"gpt-4o-mini","messages":[{"role":"system","content":"be brief"},{"role":"user","content":"hello [llmchaos-id:bench-1]"}]}`

// bareHandler is the floor: read the body, decode the model, write a small JSON answer.
func bareHandler(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Model string `json:"model"`
	}
	body, _ := io.ReadAll(r.Body)
	if err := json.Unmarshal(body, &req); err != nil {
		http.Error(w, err.Error(), 400)
		return
	}
	out, _ := json.Marshal(map[string]any{"id": "x", "object": "chat.completion", "model": req.Model,
		"choices": []any{map[string]any{"index": 0, "message": map[string]any{"role": "assistant", "content": "hi"}}}})
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write(out)
}

func benchClient() *http.Client {
	return &http.Client{Transport: &http.Transport{MaxIdleConns: 64, MaxIdleConnsPerHost: 64, IdleConnTimeout: time.Minute}}
}

func doPost(b *testing.B, c *http.Client, url string) int {
	res, err := c.Post(url, "application/json", bytes.NewReader([]byte(benchBody)))
	if err != nil {
		b.Fatal(err)
	}
	n, _ := io.Copy(io.Discard, res.Body)
	res.Body.Close()
	if res.StatusCode != 200 {
		b.Fatalf("status %d", res.StatusCode)
	}
	return int(n)
}

// BenchmarkNonStream compares whole (not streamed) chat completions through the mock
// and through bareHandler, in parallel. Compare the req/s metrics: the goal is mock >= 0.8 × bare.
func BenchmarkNonStream(b *testing.B) {
	for _, c := range []struct {
		name string
		h    http.Handler
	}{
		{"bare", http.HandlerFunc(bareHandler)},
		{"mock", mustNew(b)},
	} {
		b.Run(c.name, func(b *testing.B) {
			hs := httptest.NewServer(c.h)
			defer hs.Close()
			client := benchClient()
			defer client.CloseIdleConnections()
			url := hs.URL + "/v1/chat/completions"
			b.ReportAllocs()
			b.ResetTimer()
			begin := time.Now()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					doPost(b, client, url)
				}
			})
			b.ReportMetric(float64(b.N)/time.Since(begin).Seconds(), "req/s")
		})
	}
}

// BenchmarkNonStreamRatio runs the two side by side in one loop, alternating, and
// reports both rates and mock/bare (goal >= 0.8).
func BenchmarkNonStreamRatio(b *testing.B) {
	bare := httptest.NewServer(http.HandlerFunc(bareHandler))
	defer bare.Close()
	s := mustNew(b)
	mock := httptest.NewServer(s)
	defer mock.Close()
	client := benchClient()
	defer client.CloseIdleConnections()
	var tBare, tMock time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		t0 := time.Now()
		doPost(b, client, bare.URL+"/v1/chat/completions")
		t1 := time.Now()
		doPost(b, client, mock.URL+"/v1/chat/completions")
		tBare += t1.Sub(t0)
		tMock += time.Since(t1)
		if i%4096 == 0 {
			s.Journal().Reset() // keep the journal from dominating memory in long runs
		}
	}
	bareRate := float64(b.N) / tBare.Seconds()
	mockRate := float64(b.N) / tMock.Seconds()
	b.ReportMetric(bareRate, "bare-req/s")
	b.ReportMetric(mockRate, "mock-req/s")
	b.ReportMetric(mockRate/bareRate, "mock/bare")
}

// BenchmarkStreamChunks streams answers of 256 words through the mock and reports
// the content chunks per second a client reads.
func BenchmarkStreamChunks(b *testing.B) {
	hs := httptest.NewServer(mustNew(b, WithAnswerWords(256)))
	defer hs.Close()
	client := benchClient()
	defer client.CloseIdleConnections()
	body := []byte(`{"model":"m","stream":true,"messages":[{"role":"user","content":"x"}]}`)
	chunks := 0
	b.ReportAllocs()
	b.ResetTimer()
	begin := time.Now()
	for i := 0; i < b.N; i++ {
		res, err := client.Post(hs.URL+"/v1/chat/completions", "application/json", bytes.NewReader(body))
		if err != nil {
			b.Fatal(err)
		}
		sc := bufio.NewScanner(res.Body)
		for sc.Scan() {
			if bytes.HasPrefix(sc.Bytes(), []byte("data: ")) {
				chunks++
			}
		}
		res.Body.Close()
	}
	b.ReportMetric(float64(chunks)/time.Since(begin).Seconds(), "chunks/s")
}

// Responses API against Chat Completions through the same mock, in one loop alternating
// request by request so both see the same machine: whole answers, then streams. The goal:
// Responses >= 0.8 x Chat (responses/chat).
//
//	go test -run '^$' -bench ResponsesVsChat -benchtime 3s -count 3 ./mocks/llm/

const benchResponsesBody = `{"model":"gpt-4o-mini","instructions":"be brief","input":"hello [llmchaos-id:bench-1]"}`

func BenchmarkResponsesVsChat(b *testing.B) {
	for _, stream := range []bool{false, true} {
		name := "whole"
		chat, resp := benchBody, benchResponsesBody
		if stream {
			name = "stream"
			chat = `{"model":"gpt-4o-mini","stream":true,"stream_options":{"include_usage":true},"messages":[{"role":"system","content":"be brief"},{"role":"user","content":"hello [llmchaos-id:bench-1]"}]}`
			resp = `{"model":"gpt-4o-mini","stream":true,"instructions":"be brief","input":"hello [llmchaos-id:bench-1]"}`
		}
		b.Run(name, func(b *testing.B) { benchAlternate(b, chat, resp) })
	}
}

// benchAlternate posts chat to /v1/chat/completions and resp to /v1/responses in turn
// and reports each path's rate and their ratio.
func benchAlternate(b *testing.B, chat, resp string) {
	benchVsChat(b, chat, "/v1/responses", resp, "responses")
}

// benchVsChat posts chat to /v1/chat/completions and body to path in turn, on one mock,
// and reports each one's rate and their ratio (name/chat).
func benchVsChat(b *testing.B, chat, path, body, name string) {
	s := mustNew(b)
	hs := httptest.NewServer(s)
	defer hs.Close()
	client := benchClient()
	defer client.CloseIdleConnections()
	var tChat, tOther time.Duration
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		t0 := time.Now()
		postRead(b, client, hs.URL+"/v1/chat/completions", chat)
		t1 := time.Now()
		postRead(b, client, hs.URL+path, body)
		tChat += t1.Sub(t0)
		tOther += time.Since(t1)
		if i%4096 == 0 {
			s.Journal().Reset()
		}
	}
	chatRate, otherRate := float64(b.N)/tChat.Seconds(), float64(b.N)/tOther.Seconds()
	b.ReportMetric(chatRate, "chat-req/s")
	b.ReportMetric(otherRate, name+"-req/s")
	b.ReportMetric(otherRate/chatRate, name+"/chat")
}

// The cloud surfaces against Chat Completions through the same mock, alternating request
// by request as BenchmarkResponsesVsChat does: whole answers and streams (Gemini's SSE,
// Azure's chunks with their filter results, Bedrock's event-stream frames with two CRCs
// each). The goal: each surface >= 0.8 x Chat (gemini/chat, azure/chat, bedrock/chat).
//
//	go test -run '^$' -bench SurfacesVsChat -benchtime 2s -count 3 ./mocks/llm/

func BenchmarkSurfacesVsChat(b *testing.B) {
	const tag = "hello [llmchaos-id:bench-1]"
	surfaces := []struct{ name, path, streamPath, body string }{
		{"gemini", "/v1beta/models/gemini-2.0-flash:generateContent", "/v1beta/models/gemini-2.0-flash:streamGenerateContent?alt=sse",
			`{"systemInstruction":{"parts":[{"text":"be brief"}]},"contents":[{"role":"user","parts":[{"text":"` + tag + `"}]}]}`},
		{"azure", "/openai/deployments/gpt-4o-mini/chat/completions?api-version=2024-10-21", "",
			`{"messages":[{"role":"system","content":"be brief"},{"role":"user","content":"` + tag + `"}]}`},
		{"bedrock", "/model/anthropic.claude-3-5-haiku-20241022-v1:0/converse", "/model/anthropic.claude-3-5-haiku-20241022-v1:0/converse-stream",
			`{"system":[{"text":"be brief"}],"messages":[{"role":"user","content":[{"text":"` + tag + `"}]}]}`},
	}
	chatStream := `{"model":"gpt-4o-mini","stream":true,"stream_options":{"include_usage":true},"messages":[{"role":"system","content":"be brief"},{"role":"user","content":"` + tag + `"}]}`
	for _, sf := range surfaces {
		b.Run(sf.name+"/whole", func(b *testing.B) { benchVsChat(b, benchBody, sf.path, sf.body, sf.name) })
		path, body := sf.streamPath, sf.body
		if path == "" { // Azure streams by the body's stream field, as OpenAI does
			path, body = sf.path, `{"stream":true,"stream_options":{"include_usage":true},`+sf.body[1:]
		}
		b.Run(sf.name+"/stream", func(b *testing.B) { benchVsChat(b, chatStream, path, body, sf.name) })
	}
}

func postRead(b *testing.B, c *http.Client, url, body string) {
	res, err := c.Post(url, "application/json", strings.NewReader(body))
	if err != nil {
		b.Fatal(err)
	}
	_, _ = io.Copy(io.Discard, res.Body)
	res.Body.Close()
	if res.StatusCode != 200 {
		b.Fatalf("%s: status %d", url, res.StatusCode)
	}
}
