package main

import (
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/llmchaos/llmchaos/examples/internal/apptest"
	"github.com/llmchaos/llmchaos/mocks/control"
	"github.com/llmchaos/llmchaos/mocks/llm"
)

// The third provider: Azure OpenAI (openai-go/azure) or Bedrock (bedrockruntime), in the
// order PROVIDER_ORDER gives, against the LLM mock's own Azure and Bedrock surfaces.

// newEnv3 is newEnv with a mock named tertiary as the third provider of kind, and order.
func newEnv3(t *testing.T, kind, order string) (*env, *llm.Server) {
	t.Helper()
	third := apptest.NewLLM(t, "tertiary")
	url := apptest.ServeMock(t, third)
	e := newEnv(t, func(c *Config) {
		c.TertiaryURL, c.TertiaryKind, c.ProviderOrder = url, kind, strings.Split(order, ",")
		// These tests are about where answers come from, not timing: an attempt timeout
		// a loaded machine cannot trip (testConfig's 400ms could fail an attempt over).
		c.AttemptTimeout, c.StreamIdle = 5*time.Second, 5*time.Second
	})
	return e, third
}

func TestConfigProviders(t *testing.T) {
	env := map[string]string{"PRIMARY_URL": "http://127.0.0.1:1", "TERTIARY_URL": "http://127.0.0.1:2/",
		"TERTIARY_KIND": "bedrock", "PROVIDER_ORDER": "tertiary, primary"}
	c, err := ConfigFromEnv(func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	if c.TertiaryURL != "http://127.0.0.1:2" || c.TertiaryKind != KindBedrock || strings.Join(c.ProviderOrder, ",") != "tertiary,primary" {
		t.Fatalf("parsed %+v", c)
	}
	for k, v := range map[string]string{"TERTIARY_KIND": "vertex", "PROVIDER_ORDER": "primary,primary"} {
		bad := map[string]string{"PRIMARY_URL": "http://x", k: v}
		if _, err := ConfigFromEnv(func(k string) string { return bad[k] }); err == nil || !strings.Contains(err.Error(), k) {
			t.Errorf("%s=%s: error %v, want one naming %s", k, v, err, k)
		}
	}
}

// TestFailsOverToAzure: the primary refuses; Azure OpenAI (second in the order) answers
// on its deployment route, and its stream's prompt-filter chunk is not passed on (the
// client sees OpenAI chunks only: apptest parses each).
func TestFailsOverToAzure(t *testing.T) {
	for _, stream := range []bool{false, true} {
		t.Run(fmt.Sprintf("stream=%v", stream), func(t *testing.T) {
			e, azure := newEnv3(t, KindAzureOpenAI, "primary,tertiary,secondary")
			apptest.SetFault(t, e.primary, control.Fault{Type: control.TypeStatus, Status: 503})
			id := fmt.Sprintf("az-%v", stream)
			mustServe(t, ask(t, e.url, id, stream), "tertiary", id, stream)
			as := apptest.Settled(t, azure)
			if len(as) != 1 || as[0].Path != "/openai/deployments/"+DefaultAzureDeployment+"/chat/completions" || as[0].CorrelationID != id {
				t.Fatalf("azure attempts %+v, want one on the deployment route for %s", as, id)
			}
			if n := len(apptest.Settled(t, e.secondary)); n != 0 {
				t.Errorf("secondary saw %d attempts; Azure comes before it in the order", n)
			}
		})
	}
}

// TestAzureStreamRelaysOpenAIChunks: the gateway's stream from Azure holds no chunk
// without choices and usage (Azure's prompt_filter_results chunk, "object": "").
func TestAzureStreamRelaysOpenAIChunks(t *testing.T) {
	e, _ := newEnv3(t, KindAzureOpenAI, "tertiary")
	body := `{"model":"gpt-4o-mini","stream":true,"messages":[{"role":"user","content":"hi ` + llm.Tag("az-raw") + `"}]}`
	resp, err := http.Post(e.url+"/v1/chat/completions", "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	if strings.Contains(string(raw), "prompt_filter_results") || strings.Contains(string(raw), `"object":""`) {
		t.Fatalf("Azure's prompt-filter chunk passed on to an OpenAI client:\n%s", raw)
	}
	if !strings.Contains(string(raw), "data: [DONE]") {
		t.Fatalf("stream did not end with [DONE]:\n%s", raw)
	}
}

// TestBedrockFirst: Bedrock first in the order answers, streamed and not.
func TestBedrockFirst(t *testing.T) {
	e, bedrock := newEnv3(t, KindBedrock, "tertiary,secondary")
	for _, stream := range []bool{false, true} {
		id := fmt.Sprintf("br-%v", stream)
		mustServe(t, ask(t, e.url, id, stream), "tertiary", id, stream)
	}
	for _, a := range apptest.Settled(t, bedrock) {
		if !strings.HasPrefix(a.Path, "/model/"+DefaultBedrockModel+"/converse") {
			t.Errorf("bedrock attempt on %s", a.Path)
		}
	}
}

// TestBedrockStreamExceptionFailsOver: a throttlingException inside Bedrock's stream
// after the first tokens ends the client's stream with an error frame and no [DONE]
// (never a cut answer passed on as whole), counts against Bedrock's breaker, and once
// it opens the secondary answers.
func TestBedrockStreamExceptionFailsOver(t *testing.T) {
	e, bedrock := newEnv3(t, KindBedrock, "tertiary,secondary")
	apptest.SetFault(t, bedrock, control.Fault{Type: control.TypeStreamError, Status: 429, AfterChunks: 3})
	for i := range int(e.cfg.BreakerFailures) {
		r := ask(t, e.url, fmt.Sprintf("exc-%d", i), true)
		if r.Status != http.StatusOK || r.Done || !r.ErrFrame {
			t.Fatalf("request %d: status %d done %v error frame %v: want 200, an error frame, no [DONE]", i, r.Status, r.Done, r.ErrFrame)
		}
		if _, err := llm.Verify(r.Text); err == nil || llm.ServedBy(r.Text) != "tertiary" {
			t.Fatalf("request %d: text %q: want a cut answer from tertiary", i, r.Text)
		}
	}
	mustServe(t, ask(t, e.url, "after", true), "secondary", "after", true)
	if n := len(apptest.Settled(t, bedrock)); n != int(e.cfg.BreakerFailures) {
		t.Fatalf("bedrock saw %d attempts, want %d: its breaker should be open", n, e.cfg.BreakerFailures)
	}
}

// TestNoConfiguredProvider: an order naming only unset providers is refused.
func TestNoConfiguredProvider(t *testing.T) {
	cfg := testConfig()
	cfg.PrimaryURL, cfg.ProviderOrder = "http://127.0.0.1:1", []string{"tertiary"}
	if _, err := newServer(cfg, slog.New(slog.NewTextHandler(io.Discard, nil))); err == nil || !strings.Contains(err.Error(), "PROVIDER_ORDER") {
		t.Fatalf("error %v, want one naming PROVIDER_ORDER", err)
	}
}
