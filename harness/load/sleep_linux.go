//go:build linux

package load

import (
	"errors"
	"fmt"
	"os"
	"time"

	"golang.org/x/sys/unix"
)

// preciseTimer wakes the schedule at an instant to within tens of microseconds without
// holding a P while it waits. It reads a timerfd through the netpoller, which is precise
// when the process is idle (epoll returns as the fd fires; a Go timer alone wakes up to
// a millisecond late there, the netpoller waiting in whole milliseconds), and races it
// against the read deadline, a runtime timer, which is precise when the process is busy
// (every scheduling decision checks it). The kernel's nanosleep, used before, was
// precise too but kept the P in a system call: sysmon took the P away when other
// goroutines were runnable, and the schedule then woke up waiting for one
// (BENCHMARKS.md, the driver's tail).
type preciseTimer struct {
	f   *os.File
	fd  int
	buf [8]byte
}

// newPreciseTimer returns a preciseTimer with its timerfd open; close it when done.
func newPreciseTimer() (*preciseTimer, error) {
	fd, err := unix.TimerfdCreate(unix.CLOCK_MONOTONIC, unix.TFD_NONBLOCK|unix.TFD_CLOEXEC)
	if err != nil {
		return nil, fmt.Errorf("create the load driver's timer (timerfd_create): %w", err)
	}
	return &preciseTimer{f: os.NewFile(uintptr(fd), "llmchaos-driver-timerfd"), fd: fd}, nil
}

// wait returns at instant at, at once if it has passed. It cannot be cancelled: the
// schedule uses it for the last driverPreciseSleepMax of a wait.
func (t *preciseTimer) wait(at time.Time) {
	d := time.Until(at)
	if d <= 0 {
		return
	}
	spec := unix.ItimerSpec{Value: unix.NsecToTimespec(int64(d))} // arming resets the fd's count
	if err := unix.TimerfdSettime(t.fd, 0, &spec, nil); err != nil {
		time.Sleep(time.Until(at))
		return
	}
	_ = t.f.SetReadDeadline(at)
	for time.Now().Before(at) {
		_, err := t.f.Read(t.buf[:])
		if err == nil || errors.Is(err, os.ErrDeadlineExceeded) {
			return
		}
		time.Sleep(time.Until(at)) // the fd failed: wait on a Go timer instead
	}
}

// close releases the timerfd.
func (t *preciseTimer) close() { _ = t.f.Close() }
