package harness

import "testing"

func TestUpstreamKindIsLLM(t *testing.T) {
	for _, k := range []UpstreamKind{KindOpenAI, KindAnthropic, KindGemini, KindAzureOpenAI, KindBedrock} {
		if !k.IsLLM() {
			t.Errorf("%s.IsLLM() = false, want true", k)
		}
	}
	for _, k := range []UpstreamKind{KindOTLP, KindStore, "no-such-kind"} {
		if k.IsLLM() {
			t.Errorf("%s.IsLLM() = true, want false", k)
		}
	}
}
