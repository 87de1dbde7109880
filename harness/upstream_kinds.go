package harness

import (
	"fmt"
	"slices"
	"strings"

	"github.com/llmchaos/llmchaos/mocks/control"
	"github.com/llmchaos/llmchaos/mocks/llm"
	"github.com/llmchaos/llmchaos/mocks/store"
	"github.com/llmchaos/llmchaos/mocks/telemetry"
)

// kindInfo is one upstream kind: the mock that serves it, the protocol fault modes that
// mock plays, whether it is an LLM provider (its attempts count toward amplification,
// and failback is measured for faults on it), and (check, nil for none) the faults that
// have no meaning on the kind's wire although its mock plays their mode; or (real) a real service at the
// spec's Target, with no mock.
type kindInfo struct {
	kind  UpstreamKind
	modes func() []control.Mode
	mock  func(spec UpstreamSpec, seed int64) (control.Mock, error)
	llm   bool
	check func(f control.Fault) error
	real  bool
}

// kinds is the one table of upstream kinds. It is never modified. The LLM kinds share
// one mock (mocks/llm serves every surface on its own paths); the kind says which
// surface the app calls, and llm.CheckFault what faults mean there.
var kinds = []kindInfo{
	{KindOpenAI, llm.Modes, newLLMMock, true, surfaceCheck(llm.SurfaceOpenAI), false},
	{KindAnthropic, llm.Modes, newLLMMock, true, surfaceCheck(llm.SurfaceAnthropic), false},
	{KindGemini, llm.Modes, newLLMMock, true, surfaceCheck(llm.SurfaceGemini), false},
	{KindAzureOpenAI, llm.Modes, newLLMMock, true, surfaceCheck(llm.SurfaceAzureOpenAI), false},
	{KindBedrock, llm.Modes, newLLMMock, true, surfaceCheck(llm.SurfaceBedrock), false},
	{KindOTLP, telemetry.Modes, func(spec UpstreamSpec, _ int64) (control.Mock, error) {
		return asMock(telemetry.New(telemetry.WithName(spec.Name)))
	}, false, nil, false},
	{KindStore, store.Modes, func(spec UpstreamSpec, _ int64) (control.Mock, error) {
		return asMock(store.New(store.WithName(spec.Name)))
	}, false, nil, false},
	{kind: KindTCP, modes: noModes, real: true},
	{kind: KindHTTP, modes: noModes, real: true},
}

func surfaceCheck(s llm.Surface) func(control.Fault) error {
	return func(f control.Fault) error { return llm.CheckFault(s, f) }
}

// checkFaults returns the first of fs that has no meaning on the kind (a
// *control.FieldError naming the kind and the field), nil when all do.
func (k kindInfo) checkFaults(fs []control.Fault) error {
	if k.check == nil {
		return nil
	}
	for _, f := range fs {
		if err := k.check(f); err != nil {
			return err
		}
	}
	return nil
}

// IsLLM reports whether k is an LLM provider kind (served by mocks/llm): the kinds
// whose journals count toward amplification and whose faults failback is measured for.
// An unknown kind is not.
func (k UpstreamKind) IsLLM() bool {
	info, ok := lookupKind(k)
	return ok && info.llm
}

func noModes() []control.Mode { return nil }

func lookupKind(k UpstreamKind) (kindInfo, bool) {
	for _, info := range kinds {
		if info.kind == k {
			return info, true
		}
	}
	return kindInfo{}, false
}

// kindNames lists the kinds for messages: "openai, anthropic, otlp or store".
func kindNames() string {
	names := make([]string, len(kinds))
	for i, k := range kinds {
		names[i] = string(k.kind)
	}
	return strings.Join(names[:len(names)-1], ", ") + " or " + names[len(names)-1]
}

// checkModes says which of modes a kind's mock does not play, "" when it plays them all.
func (k kindInfo) checkModes(modes []control.Mode) string {
	if k.real && len(modes) > 0 {
		return fmt.Sprintf("a %s upstream is a real service, with no mock to play a protocol fault; give it a network fault (down, latency, blackhole, reset, ...)", k.kind)
	}
	plays := k.modes()
	for _, m := range modes {
		if !slices.Contains(plays, m) {
			return fmt.Sprintf("the %s mock does not play it (mode %s; it plays %v)", k.kind, m, plays)
		}
	}
	return ""
}

// DefaultMockFactory builds the project's mock for spec.Kind, named after the upstream:
// mocks/llm for openai, anthropic, gemini, azure-openai and bedrock (one server speaks
// every wire format, each on its own paths; AnswerWords,
// TTFT and TokenDelay shape its answers when set, and seed makes them reproducible),
// mocks/telemetry for otlp, mocks/store for store.
func DefaultMockFactory(spec UpstreamSpec, seed int64) (control.Mock, error) {
	k, ok := lookupKind(spec.Kind)
	if !ok {
		return nil, fmt.Errorf("unknown upstream kind %q (want %s)", spec.Kind, kindNames())
	}
	if k.real {
		return nil, fmt.Errorf("upstream kind %s is a real service: it has no mock", spec.Kind)
	}
	return k.mock(spec, seed)
}

func newLLMMock(spec UpstreamSpec, seed int64) (control.Mock, error) {
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
}

// asMock returns m as a control.Mock, or the constructor's error (never a typed nil).
func asMock[M control.Mock](m M, err error) (control.Mock, error) {
	if err != nil {
		return nil, err
	}
	return m, nil
}

// UpstreamKinds returns every upstream kind a scenario may declare, in the table's order.
func UpstreamKinds() []UpstreamKind {
	out := make([]UpstreamKind, len(kinds))
	for i, k := range kinds {
		out[i] = k.kind
	}
	return out
}
