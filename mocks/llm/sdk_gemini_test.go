package llm

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/llmchaos/llmchaos/mocks/control"
	"google.golang.org/genai"
)

// The Gemini API through google.golang.org/genai v1.77.0, unmodified: backend Gemini
// API, HTTPOptions.BaseURL pointed at the mock, an API key (x-goog-api-key).

const geminiModel = "gemini-2.0-flash"

func geminiClient(t *testing.T, url string, retry *genai.HTTPRetryOptions) *genai.Client {
	t.Helper()
	c, err := genai.NewClient(context.Background(), &genai.ClientConfig{
		APIKey: "llmchaos-gemini-key", Backend: genai.BackendGeminiAPI,
		HTTPOptions: genai.HTTPOptions{BaseURL: url, RetryOptions: retry},
	})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func geminiPrompt(tag string) []*genai.Content {
	return genai.Text("Say something. " + Tag(tag))
}

// geminiStreamed is what a streamGenerateContent added up to.
type geminiStreamed struct {
	text   strings.Builder
	calls  []*genai.FunctionCall
	finish genai.FinishReason
	last   *genai.GenerateContentResponse
	err    error
}

func geminiStream(c *genai.Client, contents []*genai.Content, cfg *genai.GenerateContentConfig) *geminiStreamed {
	var got geminiStreamed
	for resp, err := range c.Models.GenerateContentStream(context.Background(), geminiModel, contents, cfg) {
		if err != nil {
			got.err = err
			break
		}
		got.last = resp
		got.text.WriteString(resp.Text())
		got.calls = append(got.calls, resp.FunctionCalls()...)
		if len(resp.Candidates) > 0 && resp.Candidates[0].FinishReason != "" {
			got.finish = resp.Candidates[0].FinishReason
		}
	}
	return &got
}

func TestGeminiSDKWholeAndStreamed(t *testing.T) {
	s, hs := start(t)
	c := geminiClient(t, hs.URL, nil)
	resp, err := c.Models.GenerateContent(context.Background(), geminiModel, geminiPrompt("gm-1"), nil)
	if err != nil {
		t.Fatal(err)
	}
	if a, err := Verify(resp.Text()); err != nil || a.ID != "gm-1" || resp.Candidates[0].FinishReason != genai.FinishReasonStop {
		t.Fatalf("answer %+v %v, finish %q", a, err, resp.Candidates[0].FinishReason)
	}
	if resp.UsageMetadata == nil || resp.UsageMetadata.CandidatesTokenCount != DefaultAnswerWords+2 || resp.ModelVersion != geminiModel {
		t.Fatalf("usage %+v, model %q", resp.UsageMetadata, resp.ModelVersion)
	}
	at := waitAttempts(t, s, 1)[0]
	if at.Path != "/v1beta/models/"+geminiModel+":generateContent" || at.CorrelationID != "gm-1" || !at.Complete {
		t.Fatalf("journal %+v", at)
	}

	got := geminiStream(c, geminiPrompt("gm-2"), nil)
	if got.err != nil {
		t.Fatal(got.err)
	}
	if a, err := Verify(got.text.String()); err != nil || a.ID != "gm-2" || got.finish != genai.FinishReasonStop || got.last.UsageMetadata.CandidatesTokenCount != DefaultAnswerWords+2 {
		t.Fatalf("streamed %+v %v, finish %q", a, err, got.finish)
	}
}

// TestGeminiJSONArrayStream: streamGenerateContent without alt=sse answers the chunks
// as one JSON array.
func TestGeminiJSONArrayStream(t *testing.T) {
	_, hs := start(t)
	res := post(t, hs.URL+"/v1beta/models/"+geminiModel+":streamGenerateContent?key=k",
		`{"contents":[{"role":"user","parts":[{"text":"hi `+Tag("gm-arr")+`"}]}]}`)
	body := readAll(t, res.Body)
	if res.StatusCode != 200 || !strings.HasPrefix(res.Header.Get("Content-Type"), "application/json") {
		t.Fatalf("%d %s", res.StatusCode, res.Header.Get("Content-Type"))
	}
	var chunks []genai.GenerateContentResponse
	if err := json.Unmarshal(body, &chunks); err != nil {
		t.Fatalf("not a JSON array of responses: %v\n%s", err, body)
	}
	var text strings.Builder
	for i := range chunks {
		text.WriteString(chunks[i].Text())
	}
	if a, err := Verify(text.String()); err != nil || a.ID != "gm-arr" || chunks[len(chunks)-1].Candidates[0].FinishReason != genai.FinishReasonStop {
		t.Fatalf("array stream %+v %v", a, err)
	}
}

func TestGeminiSDKFunctionCalls(t *testing.T) {
	_, hs := start(t)
	c := geminiClient(t, hs.URL, nil)
	ctx := context.Background()
	for _, tc := range []struct {
		name string
		decl *genai.FunctionDeclaration
	}{
		{"parametersJsonSchema", &genai.FunctionDeclaration{Name: "get_weather", ParametersJsonSchema: weatherSchema()}},
		{"parameters (OpenAPI, upper-case types)", &genai.FunctionDeclaration{Name: "get_weather", Parameters: &genai.Schema{
			Type: genai.TypeObject, Required: []string{"city", "days"},
			Properties: map[string]*genai.Schema{"city": {Type: genai.TypeString}, "days": {Type: genai.TypeInteger}},
		}}},
	} {
		cfg := &genai.GenerateContentConfig{
			Tools:      []*genai.Tool{{FunctionDeclarations: []*genai.FunctionDeclaration{tc.decl}}},
			ToolConfig: &genai.ToolConfig{FunctionCallingConfig: &genai.FunctionCallingConfig{Mode: genai.FunctionCallingConfigModeAny}},
		}
		resp, err := c.Models.GenerateContent(ctx, geminiModel, geminiPrompt("gm-tool-1"), cfg)
		if err != nil {
			t.Fatal(err)
		}
		calls := resp.FunctionCalls()
		if len(calls) != 1 {
			t.Fatalf("%s: calls %+v", tc.name, calls)
		}
		args, _ := json.Marshal(calls[0].Args)
		if p, err := VerifyToolCall(calls[0].Name, string(args)); err != nil || p.ID != "gm-tool-1" {
			t.Fatalf("%s: args %s: %+v %v", tc.name, args, p, err)
		}
		if _, ok := calls[0].Args["days"].(float64); !ok {
			t.Fatalf("%s: days %T: the schema's INTEGER was not honoured", tc.name, calls[0].Args["days"])
		}

		got := geminiStream(c, geminiPrompt("gm-tool-2"), cfg)
		if got.err != nil || len(got.calls) != 1 {
			t.Fatalf("%s: streamed %v %+v", tc.name, got.err, got.calls)
		}
		args, _ = json.Marshal(got.calls[0].Args)
		if p, err := VerifyToolCall(got.calls[0].Name, string(args)); err != nil || p.ID != "gm-tool-2" {
			t.Fatalf("%s: streamed args %s: %+v %v", tc.name, args, p, err)
		}

		// The follow-up with the function's response gets the final text.
		follow := append(geminiPrompt("gm-tool-1"), resp.Candidates[0].Content,
			genai.NewContentFromFunctionResponse(calls[0].Name, map[string]any{"temperature": 18}, genai.RoleUser))
		resp, err = c.Models.GenerateContent(ctx, geminiModel, follow, cfg)
		if err != nil {
			t.Fatal(err)
		}
		if a, err := Verify(resp.Text()); err != nil || a.ID != "gm-tool-1" {
			t.Fatalf("%s: follow-up %+v %v", tc.name, a, err)
		}
	}
}

// TestGeminiSDKRetries: genai does not retry by default: a 429 is an APIError carrying
// Google's status and the RetryInfo detail (retryDelay), for the app to read. With
// HTTPOptions.RetryOptions it retries 408, 429 and 5xx on its own backoff and does not
// read RetryInfo: the attempts come sooner than the 3 s the mock asked for.
func TestGeminiSDKRetries(t *testing.T) {
	s, hs := start(t)
	// first_n 3: one 429 for the call without RetryOptions, two for the one with.
	setFault(t, s, control.Fault{Type: control.TypeRateLimit, RetryAfter: control.Duration(3 * time.Second), Scope: control.Scope{FirstN: 3}})
	_, err := geminiClient(t, hs.URL, nil).Models.GenerateContent(context.Background(), geminiModel, geminiPrompt("gm-429"), nil)
	var apiErr genai.APIError
	if !errors.As(err, &apiErr) || apiErr.Code != 429 || apiErr.Status != "RESOURCE_EXHAUSTED" {
		t.Fatalf("error %v, want a 429 RESOURCE_EXHAUSTED APIError", err)
	}
	if len(apiErr.Details) != 1 || apiErr.Details[0]["retryDelay"] != "3s" {
		t.Fatalf("details %v, want a RetryInfo with retryDelay 3s", apiErr.Details)
	}
	if n := len(waitAttempts(t, s, 1)); n != 1 {
		t.Fatalf("%d attempts without RetryOptions, want 1", n)
	}

	s.Journal().Reset()
	three, small, jitter := int32(3), 0.05, 0.1
	retry := &genai.HTTPRetryOptions{Attempts: &three, InitialDelay: &small, Jitter: &jitter}
	resp, err := geminiClient(t, hs.URL, retry).Models.GenerateContent(context.Background(), geminiModel, geminiPrompt("gm-429b"), nil)
	if err != nil {
		t.Fatalf("with RetryOptions: %v", err)
	}
	if _, err := Verify(resp.Text()); err != nil {
		t.Fatal(err)
	}
	at := waitAttempts(t, s, 3)
	for i := 1; i < len(at); i++ {
		if gap := at[i].Arrived.Sub(at[i-1].Arrived); gap >= 3*time.Second {
			t.Errorf("retry %d waited %v: the SDK read RetryInfo after all", i, gap)
		}
	}
}

// TestGeminiSDKStreamFaults: an error chunk inside the stream is an APIError from the
// iterator after the text before it; a cut stream ends the iterator with no error (a
// silent cut: no chunk with finishReason, which only the app can notice); a chunk that
// is not JSON is an error.
func TestGeminiSDKStreamFaults(t *testing.T) {
	s, hs := start(t)
	c := geminiClient(t, hs.URL, nil)
	setFault(t, s, control.Fault{Type: control.TypeStreamError, Status: 503, AfterChunks: 3})
	got := geminiStream(c, geminiPrompt("gm-err"), nil)
	var apiErr genai.APIError
	if !errors.As(got.err, &apiErr) || apiErr.Code != 503 || apiErr.Status != "UNAVAILABLE" || got.text.Len() == 0 {
		t.Fatalf("in-stream error: %v after %q", got.err, got.text.String())
	}

	s.ClearFaults()
	setFault(t, s, control.Fault{Type: control.TypeTruncate, AfterChunks: 3})
	got = geminiStream(c, geminiPrompt("gm-cut"), nil)
	if got.err != nil || got.finish != "" {
		t.Fatalf("a cut stream: %v, finish %q: want no error and no finishReason", got.err, got.finish)
	}
	if _, err := Verify(got.text.String()); err == nil {
		t.Fatal("a cut stream verified")
	}

	s.ClearFaults()
	setFault(t, s, control.Fault{Type: control.TypeMalformed, AfterChunks: 2})
	if got = geminiStream(c, geminiPrompt("gm-bad"), nil); got.err == nil {
		t.Fatal("a chunk that is not JSON: no error")
	}
}

// TestGeminiSDKFilterAndProviderErrors: a refused prompt is a 200 with
// promptFeedback.blockReason and no candidates; a filtered output ends with
// finishReason SAFETY; the semantic errors carry Google's status names.
func TestGeminiSDKFilterAndProviderErrors(t *testing.T) {
	ctx := context.Background()
	s, hs := start(t)
	c := geminiClient(t, hs.URL, nil)
	setFault(t, s, control.Fault{Type: control.TypeContentFilter})
	resp, err := c.Models.GenerateContent(ctx, geminiModel, geminiPrompt("gm-cf"), nil)
	if err != nil || resp.PromptFeedback == nil || resp.PromptFeedback.BlockReason != genai.BlockedReasonSafety || len(resp.Candidates) != 0 {
		t.Fatalf("blocked prompt: %v %+v", err, resp)
	}
	got := geminiStream(c, geminiPrompt("gm-cf2"), nil)
	if got.err != nil || got.last.PromptFeedback == nil || got.text.Len() != 0 {
		t.Fatalf("blocked prompt, streamed: %v %+v", got.err, got.last)
	}
	s.ClearFaults()
	setFault(t, s, control.Fault{Type: control.TypeContentFilter, Filtered: control.FilterOutput, AfterChunks: 3})
	if got = geminiStream(c, geminiPrompt("gm-cf3"), nil); got.err != nil || got.finish != genai.FinishReasonSafety {
		t.Fatalf("filtered output: %v, finish %q", got.err, got.finish)
	}
	for _, tc := range []struct {
		fault  control.FaultType
		code   int
		status string
	}{
		{control.TypeContextLength, 400, "INVALID_ARGUMENT"},
		{control.TypeInvalidKey, 400, "INVALID_ARGUMENT"},
		{control.TypeModelNotFound, 404, "NOT_FOUND"},
		{control.TypeInsufficientQuota, 429, "RESOURCE_EXHAUSTED"},
	} {
		s.ClearFaults()
		setFault(t, s, control.Fault{Type: tc.fault})
		_, err := c.Models.GenerateContent(ctx, geminiModel, geminiPrompt("gm-pe"), nil)
		var apiErr genai.APIError
		if !errors.As(err, &apiErr) || apiErr.Code != tc.code || apiErr.Status != tc.status {
			t.Errorf("%s: %v, want %d %s", tc.fault, err, tc.code, tc.status)
		}
	}
	res := post(t, hs.URL+"/v1beta/models/"+geminiModel+":streamGenerateContent", `{"contents":[]}`)
	if b := readAll(t, res.Body); res.StatusCode != http.StatusBadRequest || b[0] != '[' {
		t.Fatalf("a bad request to the array stream: %d %s: want Google's error inside an array", res.StatusCode, b)
	}
}
