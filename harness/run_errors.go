package harness

import (
	"errors"
	"fmt"

	"github.com/llmchaos/llmchaos/harness/internal/sut"
)

// ScenarioError is a scenario that cannot be run as written: bad input (the CLI's exit 2).
type ScenarioError struct {
	// Scenario is the scenario's name ("" when that is what is missing).
	Scenario string
	// Field is the path of the wrong field, as the YAML writes it ("timeline[1].for").
	Field string
	// Msg says what is wrong and what to do.
	Msg string
}

// Error names the scenario, the field and the problem; a message quoting a long value is
// cut in the middle (Msg keeps it whole).
func (e *ScenarioError) Error() string {
	name := e.Scenario
	if name == "" {
		name = "(unnamed)"
	}
	return clipMessage(fmt.Sprintf("scenario %s: %s: %s", name, e.Field, e.Msg))
}

// RunError is a run the harness could not carry out: the environment or the app did not
// start, the app crashed mid-run, a fault could not be played (the CLI's exit 3).
type RunError struct {
	// Stage is where it failed: RunStageEnv, RunStageSUT, RunStageDriver, RunStageSUTExit,
	// RunStageTimeline, RunStagePanic, RunStageCleanup or RunStageJournal.
	Stage string
	Err   error
}

// The RunError stages.
const (
	RunStageEnv      = "env"      // mocks or proxies did not start
	RunStageSUT      = "sut"      // the app did not start or become ready
	RunStageDriver   = "driver"   // the load driver could not be built or failed
	RunStageSUTExit  = "sut-exit" // the app exited during the run
	RunStageTimeline = "timeline" // the timeline could not be played
	RunStagePanic    = "panic"    // a callback or component panicked
	RunStageCleanup  = "cleanup"  // the environment did not shut down cleanly
	RunStageJournal  = "journal"  // a mock's journal was full (attempts not recorded), or a remote one could not be read whole
)

// Error says which stage failed and why.
func (e *RunError) Error() string {
	return fmt.Sprintf("harness could not run (%s): %v", e.Stage, e.Err)
}

// Unwrap returns the cause.
func (e *RunError) Unwrap() error { return e.Err }

// SUTLog returns the app's last output lines (oldest first) that an error of Run carries
// when the app could not start, never became ready or exited on its own; nil when err
// carries none. Reports put them in sut_log when the run had no Result to take them from.
func SUTLog(err error) []string {
	var se *sut.Error
	if !errors.As(err, &se) {
		return nil
	}
	return append([]string(nil), se.LogTail...)
}
