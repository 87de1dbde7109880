package harness

import (
	"fmt"

	"github.com/llmchaos/llmchaos/mocks/control"
	"github.com/llmchaos/llmchaos/mocks/llm"
	"github.com/llmchaos/llmchaos/mocks/store"
	"github.com/llmchaos/llmchaos/mocks/telemetry"
)

// DefaultMockFactory builds the project's mock for spec.Kind, named after the upstream:
// mocks/llm for openai and anthropic (one server speaks both wire formats; AnswerWords,
// TTFT and TokenDelay shape its answers when set, and seed makes them reproducible),
// mocks/telemetry for otlp, mocks/store for store.
func DefaultMockFactory(spec UpstreamSpec, seed int64) (control.Mock, error) {
	switch spec.Kind {
	case KindOpenAI, KindAnthropic:
		opts := []llm.Option{llm.WithName(spec.Name), llm.WithSeed(seed)}
		if spec.AnswerWords > 0 {
			opts = append(opts, llm.WithAnswerWords(spec.AnswerWords))
		}
		if spec.TTFT > 0 {
			opts = append(opts, llm.WithTTFT(spec.TTFT))
		}
		if spec.TokenDelay > 0 {
			opts = append(opts, llm.WithTokenDelay(spec.TokenDelay))
		}
		return llm.New(opts...), nil
	case KindOTLP:
		return telemetry.New(telemetry.WithName(spec.Name)), nil
	case KindStore:
		return store.New(store.WithName(spec.Name)), nil
	default:
		return nil, fmt.Errorf("unknown upstream kind %q (want %s, %s, %s or %s)", spec.Kind, KindOpenAI, KindAnthropic, KindOTLP, KindStore)
	}
}
