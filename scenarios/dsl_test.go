package scenarios

import (
	"reflect"
	"testing"
	"time"

	"github.com/llmchaos/llmchaos/harness"
	"github.com/llmchaos/llmchaos/harness/fault"
	"github.com/llmchaos/llmchaos/harness/load"
)

// providerDropoutInGo is scenarios/provider-dropout.yaml written with the Go DSL, as the
// README shows it. The test below proves the two build the same model.
func providerDropoutInGo() harness.Scenario {
	return harness.Scenario{
		Name: "provider-dropout",
		Seed: 1,
		Upstreams: []harness.UpstreamSpec{
			{Name: "collector", Kind: harness.KindOTLP},
			{Name: "primary", Kind: harness.KindOpenAI},
			{Name: "secondary", Kind: harness.KindAnthropic},
			{Name: "store", Kind: harness.KindStore},
		},
		SUT: harness.SUTSpec{
			Command: []string{"go", "run", "./gateway"},
			Dir:     "../examples",
			Env: map[string]string{
				"LISTEN_ADDR":                 "{{ .SUT.Addr }}",
				"PRIMARY_URL":                 "{{ .Upstreams.primary.URL }}",
				"SECONDARY_URL":               "{{ .Upstreams.secondary.URL }}",
				"OTEL_EXPORTER_OTLP_ENDPOINT": "{{ .Upstreams.collector.URL }}",
				"STORE_URL":                   "{{ .Upstreams.store.URL }}",
			},
			Ready: harness.ReadySpec{Path: "/healthz", Timeout: 60 * time.Second},
		},
		Load: load.Spec{
			Rate:    20,
			Timeout: 4 * time.Second,
			Request: load.Request{Protocol: load.ProtocolOpenAIChat, Path: "/v1/chat/completions", Stream: true},
		},
		Timeline: harness.Timeline{Phases: []harness.Phase{
			{Name: "steady", Duration: 2 * time.Second},
			{Name: "outage", Duration: 5 * time.Second, Faults: []harness.FaultSpec{{Upstream: "primary", Fault: &fault.Down{}}}},
			{Name: "recovery", Duration: 4 * time.Second},
		}},
		SLOs: []string{
			"ttf <= 2s",
			"failback <= 3s",
			"availability(outage) >= 0.95",
			"p99(latency, outage) <= 1500ms",
			"availability(recovery) >= 0.95",
		},
	}
}

func TestGoDSLAndYAMLBuildTheSameModel(t *testing.T) {
	f, err := Load("provider-dropout.yaml")
	if err != nil {
		t.Fatal(err)
	}
	fromYAML := f.Scenario
	fromYAML.Source, fromYAML.Description, fromYAML.Labels = "", "", nil
	if fromGo := providerDropoutInGo(); !reflect.DeepEqual(fromYAML, fromGo) {
		t.Fatalf("the YAML and the Go DSL differ:\nyaml: %+v\ngo:   %+v", fromYAML, fromGo)
	}
}
