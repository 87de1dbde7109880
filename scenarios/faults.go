package scenarios

import (
	"fmt"

	"github.com/llmchaos/llmchaos/harness"
)

// buildFault turns a YAML fault into a typed harness.Fault. scale converts real-clock
// durations of an incident replay into played ones.
func buildFault(y yFault, scale float64) (harness.Fault, error) {
	return nil, fmt.Errorf("fault type %q: not wired yet", y.Type.V)
}
