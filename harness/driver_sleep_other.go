//go:build !linux

package harness

import "time"

// driverSleep sleeps d.
func driverSleep(d time.Duration) { time.Sleep(d) }
