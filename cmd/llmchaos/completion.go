package main

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"
)

const completionExample = `  llmchaos completion bash > /etc/bash_completion.d/llmchaos   # or: source <(llmchaos completion bash)
  llmchaos completion zsh > "${fpath[1]}/_llmchaos"
  llmchaos completion fish > ~/.config/fish/completions/llmchaos.fish
  llmchaos completion powershell | Out-String | Invoke-Expression`

// completionShells are the shells llmchaos completion writes a script for.
var completionShells = []string{"bash", "zsh", "fish", "powershell"}

func newCompletionCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "completion bash|zsh|fish|powershell",
		Short: "print the shell completion script for bash, zsh, fish or powershell",
		Long: `Print the shell completion script for bash, zsh, fish or powershell. It completes
commands, flags, flag values (--progress, --format), scenario files (*.yaml, *.yml, folders)
and mock kinds.`,
		Example:   completionExample,
		ValidArgs: completionShells,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) != 1 {
				return fmt.Errorf("want one shell: %s", strings.Join(completionShells, ", "))
			}
			return cobra.OnlyValidArgs(cmd, args)
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			root, w := cmd.Root(), cmd.OutOrStdout()
			var err error
			switch args[0] {
			case "bash":
				err = root.GenBashCompletionV2(w, true)
			case "zsh":
				err = root.GenZshCompletion(w)
			case "fish":
				err = root.GenFishCompletion(w, true)
			case "powershell":
				err = root.GenPowerShellCompletionWithDesc(w)
			}
			if err != nil {
				fmt.Fprintln(cmd.ErrOrStderr(), "llmchaos completion:", err)
				return exitCode(exitCannotRun)
			}
			return nil
		},
	}
}

// completeScenarioFiles completes scenario files: *.yaml, *.yml and folders.
func completeScenarioFiles(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
	return []string{"yaml", "yml"}, cobra.ShellCompDirectiveFilterFileExt
}

// completeReportPaths completes report JSON files and folders.
func completeReportPaths(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
	return []string{"json"}, cobra.ShellCompDirectiveFilterFileExt
}
