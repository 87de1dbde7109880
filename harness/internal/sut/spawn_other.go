//go:build unix && !linux

package sut

import (
	"os/exec"
	"syscall"
)

// sysProcAttr puts the app in its own process group (no Pdeathsig outside Linux: the
// reaper alone ties the app to the harness).
func sysProcAttr() *syscall.SysProcAttr { return &syscall.SysProcAttr{Setpgid: true} }

// startCmd starts cmd.
func startCmd(cmd *exec.Cmd) error { return cmd.Start() }
