//go:build windows

package sut

import "os/exec"

// startCmd starts cmd (on Windows the job object, not the starting thread, ties the app
// to the harness: see attachGroup).
func startCmd(cmd *exec.Cmd) error { return cmd.Start() }
