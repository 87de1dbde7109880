package main

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/llmchaos/llmchaos/examples/internal/apptest"
	"github.com/llmchaos/llmchaos/mocks/control"
	"github.com/llmchaos/llmchaos/mocks/llm"
)

// PRIMARY_KIND=bedrock: the same naive app on Bedrock's Converse API (the LLM mock's
// Bedrock surface), with the AWS SDK's defaults.

func TestBedrockServes(t *testing.T) {
	e := newEnv(t, func(c *Config) { c.PrimaryKind = KindBedrock })
	for _, stream := range []bool{false, true} {
		id := fmt.Sprintf("br-%v", stream)
		apptest.MustServe(t, ask(t, e.url, id, stream), "primary", id, stream)
	}
	for _, a := range apptest.Settled(t, e.primary) {
		if !strings.HasPrefix(a.Path, "/model/"+DefaultBedrockModel+"/converse") {
			t.Errorf("attempt on %s, want Bedrock's converse routes", a.Path)
		}
	}
}

// TestBedrockStreamExceptionEveryTime: a throttlingException inside every stream gives
// every request an error frame (no [DONE]), and the app keeps calling Bedrock: it has
// nowhere else to go (what the catalog's bedrock-stream-exception shows).
func TestBedrockStreamExceptionEveryTime(t *testing.T) {
	e := newEnv(t, func(c *Config) { c.PrimaryKind = KindBedrock })
	apptest.SetFault(t, e.primary, control.Fault{Type: control.TypeStreamError, Status: 429, AfterChunks: 3})
	for i := range 4 {
		r := ask(t, e.url, fmt.Sprintf("exc-%d", i), true)
		if r.Status != http.StatusOK || r.Done || !r.ErrFrame {
			t.Fatalf("request %d: status %d done %v error frame %v", i, r.Status, r.Done, r.ErrFrame)
		}
		if _, err := llm.Verify(r.Text); err == nil {
			t.Fatalf("request %d: a cut answer verified: %q", i, r.Text)
		}
	}
	// one attempt each (a started stream is not retried); the mock journals an attempt
	// when its handler returns, which may be just after the app read the answer
	for i := range 4 {
		apptest.EventuallyAttemptsFor(t, e.primary, fmt.Sprintf("exc-%d", i), 1)
	}
	if n := len(apptest.Settled(t, e.primary)); n != 4 {
		t.Fatalf("bedrock saw %d attempts, want 4 (a started stream is not retried)", n)
	}
}

func TestConfigPrimaryKind(t *testing.T) {
	env := map[string]string{"PRIMARY_URL": "http://127.0.0.1:1", "PRIMARY_KIND": "vertex"}
	if _, err := ConfigFromEnv(func(k string) string { return env[k] }); err == nil || !strings.Contains(err.Error(), "PRIMARY_KIND") {
		t.Fatalf("PRIMARY_KIND=vertex: error %v", err)
	}
}
