//go:build windows

package sut

import (
	"fmt"
	"os/exec"
	"syscall"
	"unsafe"

	"golang.org/x/sys/windows"
)

// procGroup is the app and every process it starts: on Windows a job object the app is
// assigned to right after it starts (its children join it as they are created), set to
// kill every process in it when its last handle closes, so even a crashed llmchaos
// leaves no app behind. The app also leads a console process group, so it can be asked
// to stop with CTRL_BREAK (a Go app sees os.Interrupt).
type procGroup struct {
	pid uint32
	job windows.Handle
}

// prepareGroup makes cmd start in its own console process group.
func prepareGroup(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{CreationFlags: windows.CREATE_NEW_PROCESS_GROUP}
}

// attachGroup creates a kill-on-close job object and assigns the started cmd to it. On
// an error the caller kills cmd: an app outside a job could leave its children behind.
func attachGroup(cmd *exec.Cmd) (procGroup, error) {
	job, err := windows.CreateJobObject(nil, nil)
	if err != nil {
		return procGroup{}, fmt.Errorf("create a job object for the app: %w", err)
	}
	info := windows.JOBOBJECT_EXTENDED_LIMIT_INFORMATION{
		BasicLimitInformation: windows.JOBOBJECT_BASIC_LIMIT_INFORMATION{LimitFlags: windows.JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE},
	}
	if _, err := windows.SetInformationJobObject(job, windows.JobObjectExtendedLimitInformation,
		uintptr(unsafe.Pointer(&info)), uint32(unsafe.Sizeof(info))); err != nil {
		_ = windows.CloseHandle(job)
		return procGroup{}, fmt.Errorf("set the app's job object to kill on close: %w", err)
	}
	pid := uint32(cmd.Process.Pid)
	h, err := windows.OpenProcess(windows.PROCESS_SET_QUOTA|windows.PROCESS_TERMINATE, false, pid)
	if err != nil {
		_ = windows.CloseHandle(job)
		return procGroup{}, fmt.Errorf("open the app's process %d: %w", pid, err)
	}
	defer windows.CloseHandle(h)
	if err := windows.AssignProcessToJobObject(job, h); err != nil {
		_ = windows.CloseHandle(job)
		return procGroup{}, fmt.Errorf("assign the app's process %d to its job object: %w", pid, err)
	}
	return procGroup{pid: pid, job: job}, nil
}

// terminate asks the app to stop: CTRL_BREAK to its console process group.
func (g procGroup) terminate() error {
	if err := windows.GenerateConsoleCtrlEvent(windows.CTRL_BREAK_EVENT, g.pid); err != nil {
		return fmt.Errorf("sut stop: CTRL_BREAK to process group %d: %w", g.pid, err)
	}
	return nil
}

// kill ends every process in the job.
func (g procGroup) kill() {
	if g.job != 0 {
		_ = windows.TerminateJobObject(g.job, 1)
	}
}

// release closes the job's handle (which kills whatever is still in it).
func (g procGroup) release() {
	if g.job != 0 {
		_ = windows.CloseHandle(g.job)
	}
}
