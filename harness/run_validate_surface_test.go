package harness

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/llmchaos/llmchaos/harness/fault"
	"github.com/llmchaos/llmchaos/harness/load"
	"github.com/llmchaos/llmchaos/mocks/control"
	"github.com/llmchaos/llmchaos/mocks/llm"
)

// TestValidateFaultsPerSurface: a protocol fault with no meaning on an upstream's
// surface is refused when the scenario is validated (before anything starts), naming
// the surface and the field, also inside a flap or a ramp; the same fault on a surface
// that shows it passes.
func TestValidateFaultsPerSurface(t *testing.T) {
	scenario := func(kind UpstreamKind, f fault.Fault) Scenario {
		return Scenario{
			Name:      "surfaces",
			Upstreams: []UpstreamSpec{{Name: "primary", Kind: kind}},
			SUT:       SUTSpec{URL: "http://127.0.0.1:1"},
			Load:      load.Spec{Rate: 1, Request: load.Request{Protocol: load.ProtocolHTTP}},
			Timeline:  Timeline{Phases: []Phase{{Name: "p", Duration: time.Second, Faults: []FaultSpec{{Upstream: "primary", Fault: f}}}}},
		}
	}
	keepalive := &fault.Protocol{Fault: control.Fault{Type: control.TypeStall, Keepalive: control.Duration(time.Second)}}
	for _, tc := range []struct {
		kind  UpstreamKind
		f     fault.Fault
		field string // "" when valid
	}{
		{KindGemini, &fault.Protocol{Fault: control.Fault{Type: control.TypeToolCallCut}}, "timeline[0].faults[0].type"},
		{KindGemini, &fault.Flap{Period: time.Second, Fault: keepalive}, "timeline[0].faults[0].keepalive"},
		{KindBedrock, &fault.Ramp{To: 1, Fault: control.Fault{Type: control.TypeRateLimit, RetryAfter: control.Duration(time.Second), RetryAfterAs: control.RetryAfterMs}}, "timeline[0].faults[0].retry_after_as"},
		{KindAzureOpenAI, fault.InsufficientQuota(), "timeline[0].faults[0].type"},
		{KindOpenAI, keepalive, ""},
		{KindBedrock, &fault.Protocol{Fault: control.Fault{Type: control.TypeToolCallCut}}, ""},
		{KindBedrock, fault.StreamError(3, fault.WithStatus(429)), ""},
		{KindGemini, fault.RateLimited(2 * time.Second), ""},
		{KindAzureOpenAI, fault.RateLimited(2*time.Second, fault.WithRetryAfterMs()), ""},
	} {
		err := ValidateScenario(scenario(tc.kind, tc.f))
		var se *ScenarioError
		switch {
		case tc.field == "" && err != nil:
			t.Errorf("%s %s: refused: %v", tc.kind, tc.f, err)
		case tc.field != "" && (!errors.As(err, &se) || se.Field != tc.field || !strings.Contains(se.Msg, string(tc.kind))):
			t.Errorf("%s %s: %v, want an error on %s naming %s", tc.kind, tc.f, err, tc.field, tc.kind)
		}
	}
}

// TestIsLLMMatchesTheKindsTable: IsLLM is true exactly for the kinds whose mock is the
// LLM mock (the metrics that count LLM attempts read it); a real service (no mock) is not.
func TestIsLLMMatchesTheKindsTable(t *testing.T) {
	for _, k := range kinds {
		if k.real {
			if k.kind.IsLLM() {
				t.Errorf("%s: a real service is not an LLM kind", k.kind)
			}
			continue
		}
		m, err := DefaultMockFactory(UpstreamSpec{Name: "u", Kind: k.kind}, 1)
		if err != nil {
			t.Fatalf("%s: %v", k.kind, err)
		}
		_, isLLM := m.(*llm.Server)
		if k.kind.IsLLM() != isLLM {
			t.Errorf("%s: IsLLM %v, its mock is %T", k.kind, k.kind.IsLLM(), m)
		}
		if c, ok := m.(interface{ Close() error }); ok {
			_ = c.Close()
		}
	}
}
