package scenarios

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"
)

// yString is a string that remembers its line.
type yString struct {
	V    string
	Line int
}

func (s *yString) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind != yaml.ScalarNode {
		return &lineError{n.Line, "want a single value here, not a list or a map"}
	}
	s.V, s.Line = n.Value, n.Line
	return nil
}

// yDuration is a Go duration ("1.5s", "20m", "2h20m") that remembers its line.
type yDuration struct {
	D    time.Duration
	Line int
	Set  bool
}

func (d *yDuration) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind != yaml.ScalarNode {
		return &lineError{n.Line, "want a duration like 500ms, 2s or 1h30m"}
	}
	v, err := time.ParseDuration(n.Value)
	if err != nil {
		return &lineError{n.Line, fmt.Sprintf("%q is not a duration (write it like 500ms, 2s or 1h30m)", n.Value)}
	}
	if v < 0 {
		return &lineError{n.Line, fmt.Sprintf("duration %s is negative", n.Value)}
	}
	d.D, d.Line, d.Set = v, n.Line, true
	return nil
}

// yRate is requests per second, written "20/s", "600/m" or a bare number (per second).
type yRate struct {
	PerSecond float64
	Line      int
}

func (r *yRate) UnmarshalYAML(n *yaml.Node) error {
	bad := &lineError{n.Line, fmt.Sprintf("%q is not a rate (write it like 20/s or 600/m)", n.Value)}
	if n.Kind != yaml.ScalarNode {
		return bad
	}
	num, unit, found := strings.Cut(strings.TrimSpace(n.Value), "/")
	v, err := strconv.ParseFloat(strings.TrimSpace(num), 64)
	if err != nil || v <= 0 {
		return bad
	}
	per := time.Second
	if found {
		switch strings.TrimSpace(unit) {
		case "s":
		case "m":
			per = time.Minute
		default:
			return bad
		}
	}
	r.PerSecond, r.Line = v*float64(time.Second)/float64(per), n.Line
	return nil
}
