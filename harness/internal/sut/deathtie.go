//go:build unix

package sut

import (
	"os"
	"os/exec"
	"strconv"
	"syscall"
)

// reaperScript is the reaper's program: ignore the signals a terminal or a supervisor
// sends to the harness's group, wait until stdin ends (the harness closed it, or the
// harness died and the kernel closed it), then kill the app's whole process group.
const reaperScript = `trap '' INT TERM HUP QUIT; read -r _ || :; kill -s KILL -- "-$1" 2>/dev/null; exit 0`

// reaperShell is the shell the reaper runs in.
const reaperShell = "/bin/sh"

// reaper ties an app's process group to the harness's life: a small shell process, in its
// own process group, that kills the app's group when the pipe from the harness closes.
// The kernel closes that pipe however the harness ends (a panic, an out-of-memory kill,
// SIGKILL, SIGQUIT), so the app and every process it started (go run's compiled binary,
// a shell's children) die with it; Pdeathsig alone reaches only the group's leader.
type reaper struct {
	w   *os.File
	cmd *exec.Cmd
}

// startReaper starts the reaper of process group pgid; nil when it cannot (no /bin/sh):
// then only Pdeathsig ties the leader to the harness.
func startReaper(pgid int) *reaper {
	r, w, err := os.Pipe()
	if err != nil {
		return nil
	}
	cmd := exec.Command(reaperShell, "-c", reaperScript, "llmchaos-reaper", strconv.Itoa(pgid))
	cmd.Stdin = r
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		_ = r.Close()
		_ = w.Close()
		return nil
	}
	_ = r.Close() // the reaper holds its own copy
	return &reaper{w: w, cmd: cmd}
}

// release ends the reaper once the harness stopped the app itself: it closes the pipe (the
// reaper's kill then finds the group gone) and waits for the reaper to exit.
func (r *reaper) release() {
	if r == nil {
		return
	}
	_ = r.w.Close()
	_ = r.cmd.Wait()
}
