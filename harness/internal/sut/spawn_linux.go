//go:build linux

package sut

import (
	"os/exec"
	"runtime"
	"sync"
	"syscall"
)

// sysProcAttr puts the app in its own process group and asks the kernel to SIGKILL it when
// the harness dies (Pdeathsig).
func sysProcAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
}

// spawner starts apps from one goroutine locked to its OS thread for the life of the
// process. Pdeathsig fires when the thread that forked the child exits, not the process
// (golang.org/issue/27505): a child started from an ordinary goroutine would be killed
// whenever the Go runtime retires that thread. This thread is never retired.
var spawner struct {
	once sync.Once
	reqs chan spawnRequest
}

type spawnRequest struct {
	cmd  *exec.Cmd
	done chan error
}

// spawnLoop starts the apps asked for on reqs, from a thread it never leaves.
func spawnLoop(reqs <-chan spawnRequest) {
	runtime.LockOSThread() // never unlocked: the thread lives as long as the process
	for req := range reqs {
		req.done <- req.cmd.Start()
	}
}

// startCmd starts cmd from the spawner's thread.
func startCmd(cmd *exec.Cmd) error {
	spawner.once.Do(func() {
		spawner.reqs = make(chan spawnRequest)
		go spawnLoop(spawner.reqs)
	})
	done := make(chan error, 1)
	spawner.reqs <- spawnRequest{cmd: cmd, done: done}
	return <-done
}
