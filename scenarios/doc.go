// Package scenarios is the catalog of scenario files (*.yaml in this folder) and their
// loader: Load, Parse, LoadDir and LoadPaths turn files into a File, that is a
// harness.Scenario with its SLO expressions, the references of an incident replay, and
// the verdict each reference app is expected to get.
//
// The loader checks what only the file can say (names, templates, that the app's program
// exists, that SLOs parse and name the timeline's phases, the expectations), decodes every
// fault through the fault registry (harness/fault), and leaves the model's rules to
// harness.ValidateScenario, pointing each problem at its line: every error is an *Error
// reading "FILE:LINE: FIELD: what is wrong", for the problem that comes first in the file
// (a message quoting a long value is cut in the middle).
//
// Only regular files of at most DefaultMaxScenarioBytes are read: a FIFO, a device or a
// directory named like a scenario is refused from its mode, without a blocking open.
//
// scenarios imports harness, harness/fault, harness/load, harness/tmpl and harness/slo;
// never reports or runner (runner.Execute runs a File). scenarios/suite turns a folder of
// files into Ginkgo specs.
package scenarios
