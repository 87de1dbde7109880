package main

import (
	"github.com/spf13/cobra"

	"github.com/llmchaos/llmchaos/schema"
)

const schemaExample = `  llmchaos schema > scenario.schema.json
  # then, first line of a scenario file, for VS Code and JetBrains editors:
  # yaml-language-server: $schema=scenario.schema.json`

func newSchemaCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "schema",
		Short: "print the JSON Schema of scenario files",
		Long: `Print the JSON Schema of scenario files (draft 2020-12), generated from the loader's
Go types: every field, upstream kind, load protocol and fault type with its fields. An
editor with YAML support completes and checks a file whose first line points at it:
# yaml-language-server: $schema=PATH-OR-URL`,
		Example: schemaExample,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			_, err := cmd.OutOrStdout().Write(schema.Scenario)
			if err != nil {
				return result(exitCannotRun)
			}
			return nil
		},
	}
}
