// Package schema holds the JSON Schema of llmchaos scenario files, scenario.schema.json:
// generated from the scenario loader's Go types (scenarios.GenerateSchema) and kept
// equal to them by a test (go test ./scenarios -run TestSchemaIsGenerated -update
// rewrites it). Editors read the file through the first line of every catalog file:
//
//	# yaml-language-server: $schema=../schema/scenario.schema.json
//
// and `llmchaos schema` prints it.
package schema

import _ "embed"

// Scenario is the JSON Schema of scenario files (scenario.schema.json).
//
//go:embed scenario.schema.json
var Scenario []byte
