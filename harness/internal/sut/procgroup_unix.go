//go:build unix

package sut

import (
	"errors"
	"fmt"
	"os/exec"
	"syscall"
)

// procGroup is the app and every process it starts: on Unix its process group (the app
// leads it; a child that calls setsid itself escapes, as it would anywhere), and the
// reaper that kills the group if the harness dies without stopping the app.
type procGroup struct {
	pgid   int
	reaper *reaper
}

// prepareGroup makes cmd start in its own process group (sysProcAttr: with Pdeathsig on
// Linux).
func prepareGroup(cmd *exec.Cmd) {
	cmd.SysProcAttr = sysProcAttr()
}

// attachGroup returns the group cmd leads, once it started, and starts its reaper.
func attachGroup(cmd *exec.Cmd) (procGroup, error) {
	return procGroup{pgid: cmd.Process.Pid, reaper: startReaper(cmd.Process.Pid)}, nil
}

// terminate asks the whole group to stop (SIGTERM).
func (g procGroup) terminate() error {
	if err := syscall.Kill(-g.pgid, syscall.SIGTERM); err != nil && !errors.Is(err, syscall.ESRCH) {
		return fmt.Errorf("sut stop: SIGTERM to process group %d: %w", g.pgid, err)
	}
	return nil
}

// kill ends every process left in the group (SIGKILL).
func (g procGroup) kill() { _ = syscall.Kill(-g.pgid, syscall.SIGKILL) }

// release ends the group's reaper (the harness stopped the app itself).
func (g procGroup) release() { g.reaper.release() }
