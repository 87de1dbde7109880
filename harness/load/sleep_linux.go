//go:build linux

package load

import (
	"syscall"
	"time"
)

// driverSleep sleeps d with the kernel's nanosleep: it wakes within tens of microseconds,
// where a Go timer on an idle process can wake up to a millisecond late (the netpoller
// waits in whole milliseconds).
func driverSleep(d time.Duration) {
	ts := syscall.NsecToTimespec(int64(d))
	for {
		var left syscall.Timespec
		if err := syscall.Nanosleep(&ts, &left); err != syscall.EINTR {
			return
		}
		ts = left
	}
}
