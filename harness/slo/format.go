package slo

import (
	"fmt"
	"time"
)

// fmtDur writes a measured duration as people read it: 2.55s, 450ms, 0s.
func fmtDur(d time.Duration) string {
	switch {
	case d == 0:
		return "0s"
	case d >= time.Second || d <= -time.Second:
		return fmt.Sprintf("%.2fs", d.Seconds())
	case d >= time.Millisecond || d <= -time.Millisecond:
		return fmt.Sprintf("%dms", d.Round(time.Millisecond).Milliseconds())
	}
	return d.String()
}

// fmtAt writes an offset from the run's start: 4.00s.
func fmtAt(d time.Duration) string { return fmt.Sprintf("%.2fs", d.Seconds()) }

// fmtMeasure writes a Measure: "2.55s", "never", "n/a".
func fmtMeasure(m Measure) string {
	switch {
	case m.None:
		return "n/a"
	case m.Never:
		return "never"
	}
	return fmtDur(m.Value)
}

func plural(n int, one, many string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, one)
	}
	return fmt.Sprintf("%d %s", n, many)
}
