//go:build !linux

package load

import "time"

// driverSleep sleeps d.
func driverSleep(d time.Duration) { time.Sleep(d) }
