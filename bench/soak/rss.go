package main

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// rssKB reads a process's resident set size (VmRSS, in kB) from /proc/PID/status.
func rssKB(pid int) (int, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, fmt.Errorf("rss of pid %d: %w", pid, err)
	}
	return parseVmRSS(string(b))
}

// parseVmRSS returns the VmRSS line's kB from a /proc/PID/status text.
func parseVmRSS(status string) (int, error) {
	sc := bufio.NewScanner(strings.NewReader(status))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) >= 2 && f[0] == "VmRSS:" {
			return strconv.Atoi(f[1])
		}
	}
	return 0, fmt.Errorf("no VmRSS line in /proc/PID/status")
}

// descendantNamed returns the pid of a process below root (children, grandchildren, ...)
// whose command name is name, or 0 when there is none.
func descendantNamed(root int, name string) int {
	parent := map[int]int{}
	comm := map[int]string{}
	stats, _ := filepath.Glob("/proc/[0-9]*/stat")
	for _, p := range stats {
		b, err := os.ReadFile(p)
		if err != nil {
			continue // the process ended
		}
		pid, ppid, c, ok := parseStat(string(b))
		if ok {
			parent[pid], comm[pid] = ppid, c
		}
	}
	for pid, c := range comm {
		if c != name {
			continue
		}
		for p := parent[pid]; p > 1; p = parent[p] {
			if p == root {
				return pid
			}
		}
	}
	return 0
}

// parseStat reads pid, ppid and the command name from a /proc/PID/stat line; the name
// is in parentheses and may hold spaces and parentheses itself.
func parseStat(s string) (pid, ppid int, comm string, ok bool) {
	open, end := strings.IndexByte(s, '('), strings.LastIndexByte(s, ')')
	if open < 0 || end < open {
		return 0, 0, "", false
	}
	pid, err := strconv.Atoi(strings.TrimSpace(s[:open]))
	if err != nil {
		return 0, 0, "", false
	}
	rest := strings.Fields(s[end+1:])
	if len(rest) < 2 {
		return 0, 0, "", false
	}
	ppid, err = strconv.Atoi(rest[1])
	return pid, ppid, s[open+1 : end], err == nil
}

// clockTicks is USER_HZ, the unit of /proc/PID/stat's CPU times: 100 on Linux.
const clockTicks = 100

// cpuSeconds reads the CPU time (user + system) a process used so far from /proc/PID/stat.
func cpuSeconds(pid int) (float64, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, fmt.Errorf("cpu of pid %d: %w", pid, err)
	}
	return parseCPU(string(b))
}

// parseCPU returns utime + stime in seconds from a /proc/PID/stat line (the 14th and 15th
// fields, counted after the parenthesised command name as 12th and 13th).
func parseCPU(s string) (float64, error) {
	end := strings.LastIndexByte(s, ')')
	rest := strings.Fields(s[end+1:])
	if end < 0 || len(rest) < 13 {
		return 0, fmt.Errorf("a /proc/PID/stat line too short: %q", s)
	}
	u, err1 := strconv.ParseFloat(rest[11], 64)
	st, err2 := strconv.ParseFloat(rest[12], 64)
	if err1 != nil || err2 != nil {
		return 0, fmt.Errorf("a /proc/PID/stat line without CPU times: %q", s)
	}
	return (u + st) / clockTicks, nil
}
