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
		if spec.AnswerWords != 0 {
			opts = append(opts, llm.WithAnswerWords(spec.AnswerWords))
		}
		if spec.TTFT != 0 {
			opts = append(opts, llm.WithTTFT(spec.TTFT))
		}
		if spec.TokenDelay != 0 {
			opts = append(opts, llm.WithTokenDelay(spec.TokenDelay))
		}
		return asMock(llm.New(opts...))
	case KindOTLP:
		return asMock(telemetry.New(telemetry.WithName(spec.Name)))
	case KindStore:
		return asMock(store.New(store.WithName(spec.Name)))
	default:
		return nil, fmt.Errorf("unknown upstream kind %q (want %s, %s, %s or %s)", spec.Kind, KindOpenAI, KindAnthropic, KindOTLP, KindStore)
	}
}

// asMock returns m as a control.Mock, or the constructor's error (never a typed nil).
func asMock[M control.Mock](m M, err error) (control.Mock, error) {
	if err != nil {
		return nil, err
	}
	return m, nil
}
