package load

import (
	"bytes"
	"encoding/binary"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/llmchaos/llmchaos/mocks/control"
	"github.com/llmchaos/llmchaos/mocks/llm"
)

// The gemini, azure-openai and bedrock-converse protocols against the LLM mock itself
// (mocks/llm serves each surface on its own paths): whole answers are OK, and every
// fault that cuts, breaks or errors an answer gets its outcome, streamed and not.

var surfaceProtocols = []Protocol{ProtocolGemini, ProtocolAzureOpenAI, ProtocolBedrockConverse}

func surfaceMock(t *testing.T) (*llm.Server, string) {
	t.Helper()
	s, err := llm.New(llm.WithName("cloud"), llm.WithAnswerWords(12))
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(s)
	t.Cleanup(hs.Close)
	return s, hs.URL
}

// TestDriverSurfacesOK: a whole answer on every surface, streamed and not, is OK, served
// by the mock, on the surface's path, with the id the mock found in the request.
func TestDriverSurfacesOK(t *testing.T) {
	wantPath := map[Protocol]string{
		ProtocolGemini:          "/v1beta/models/" + DefaultGeminiModel + ":",
		ProtocolAzureOpenAI:     "/openai/deployments/" + DefaultOpenAIModel + "/chat/completions",
		ProtocolBedrockConverse: "/model/" + DefaultBedrockModel + "/converse",
	}
	for _, p := range surfaceProtocols {
		for _, stream := range []bool{false, true} {
			name := string(p)
			if stream {
				name += "-stream"
			}
			t.Run(name, func(t *testing.T) {
				s, url := surfaceMock(t)
				got := driverTestOne(t, Request{Protocol: p, Stream: stream}, url)
				if got.Outcome != OutcomeOK || got.Status != 200 || got.ServedBy != "cloud" {
					t.Fatalf("sample %+v, want ok 200 served by cloud", got)
				}
				if got.FirstToken().IsZero() || got.Ended().Before(got.FirstToken()) {
					t.Errorf("first token %v, ended %v", got.FirstToken(), got.Ended())
				}
				as := s.Journal().Attempts()
				if len(as) != 1 {
					t.Fatalf("%d attempts, want 1", len(as))
				}
				a := as[0]
				if a.CorrelationID != got.ID || a.Status != 200 || a.Stream != stream || !strings.HasPrefix(a.Path, wantPath[p]) {
					t.Errorf("attempt %+v: want id %s, 200, stream %v, path %s…", a, got.ID, stream, wantPath[p])
				}
			})
		}
	}
}

// TestDriverSurfacesFaults: what each fault does to each surface's answer, as the driver
// judges it.
func TestDriverSurfacesFaults(t *testing.T) {
	cases := []struct {
		name   string
		stream bool
		fault  control.Fault
		want   Outcome
		errHas map[Protocol]string
	}{
		{"error inside the stream", true, control.Fault{Type: control.TypeStreamError, Status: 429, AfterChunks: 3}, OutcomeHTTPError,
			map[Protocol]string{ProtocolGemini: "RESOURCE_EXHAUSTED", ProtocolAzureOpenAI: "stream error frame", ProtocolBedrockConverse: "throttlingException"}},
		{"stream cut before its end", true, control.Fault{Type: control.TypeTruncate, AfterChunks: 3}, OutcomeIncomplete,
			map[Protocol]string{ProtocolGemini: "finishReason", ProtocolAzureOpenAI: "[DONE]", ProtocolBedrockConverse: "messageStop"}},
		{"a malformed chunk", true, control.Fault{Type: control.TypeMalformed, AfterChunks: 2}, OutcomeMalformed,
			map[Protocol]string{ProtocolGemini: "does not parse", ProtocolAzureOpenAI: "does not parse", ProtocolBedrockConverse: "contentBlockDelta"}},
		{"overloaded", false, control.Fault{Type: control.TypeOverloaded}, OutcomeHTTPError,
			map[Protocol]string{ProtocolGemini: "HTTP 503", ProtocolAzureOpenAI: "HTTP 503", ProtocolBedrockConverse: "HTTP 503"}},
		{"rate limited stream", true, control.Fault{Type: control.TypeRateLimit}, OutcomeHTTPError,
			map[Protocol]string{ProtocolGemini: "RESOURCE_EXHAUSTED", ProtocolAzureOpenAI: "HTTP 429", ProtocolBedrockConverse: "Too many requests"}},
	}
	for _, tc := range cases {
		for _, p := range surfaceProtocols {
			t.Run(tc.name+"/"+string(p), func(t *testing.T) {
				s, url := surfaceMock(t)
				if _, err := s.SetFault(tc.fault); err != nil {
					t.Fatal(err)
				}
				got := driverTestOne(t, Request{Protocol: p, Stream: tc.stream}, url)
				if got.Outcome != tc.want || !strings.Contains(got.Error, tc.errHas[p]) {
					t.Fatalf("outcome %q error %q, want %q with %q", got.Outcome, got.Error, tc.want, tc.errHas[p])
				}
			})
		}
	}
}

// TestDriverBedrockFrames: the bedrock-converse stream decoder on frames the mock
// wrote, altered: a flipped byte fails a CRC (malformed: the AWS decoder checks it); a
// delta before messageStart is malformed; a word's frame taken out leaves a messageStop
// over a cut answer (truncated: the silent truncation); the frames up to messageStop
// without it are incomplete.
func TestDriverBedrockFrames(t *testing.T) {
	_, url := surfaceMock(t)
	resp, err := http.Post(url+"/model/m/converse-stream", "application/json",
		strings.NewReader(`{"messages":[{"role":"user","content":[{"text":"hi `+llm.Tag("drv-test-0")+`"}]}]}`))
	if err != nil {
		t.Fatal(err)
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		t.Fatal(err)
	}
	var frames [][]byte // messageStart, deltas..., contentBlockStop, messageStop, metadata
	for len(body) >= 4 {
		n := int(binary.BigEndian.Uint32(body))
		frames, body = append(frames, body[:n]), body[n:]
	}
	if len(frames) < 6 {
		t.Fatalf("%d frames from the mock, want messageStart, deltas, stops and metadata", len(frames))
	}
	join := func(fs ...[]byte) []byte { return bytes.Join(fs, nil) }
	flipped := join(frames...)
	flipped[len(flipped)/2] ^= 0xff
	last := len(frames) - 1
	cases := []struct {
		name   string
		body   []byte
		want   Outcome
		errHas string
	}{
		{"as sent", join(frames...), OutcomeOK, ""},
		{"a flipped byte", flipped, OutcomeMalformed, "checksum"},
		{"no messageStart", join(frames[1:]...), OutcomeMalformed, "before messageStart"},
		{"a word taken out", join(append([][]byte{frames[0], frames[1]}, frames[3:]...)...), OutcomeTruncated, "claimed complete"},
		{"no messageStop", join(frames[:last-1]...), OutcomeIncomplete, "without messageStop"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv := driverTestServer(t, func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/vnd.amazon.eventstream")
				_, _ = w.Write(tc.body)
			})
			got := driverTestOne(t, Request{Protocol: ProtocolBedrockConverse, Stream: true}, srv.URL)
			if got.Outcome != tc.want || !strings.Contains(got.Error, tc.errHas) {
				t.Fatalf("outcome %q error %q, want %q with %q", got.Outcome, got.Error, tc.want, tc.errHas)
			}
		})
	}
}
