package scenarios

import (
	"errors"
	"regexp"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/llmchaos/llmchaos/harness"
)

// check runs the model's rules (harness.ValidateScenario, their one home) on what the
// builder made, pointing its error at the file's line, and returns the problem that
// comes first in the file among those found, nil when there is none.
func (b *builder) check(sc harness.Scenario) *Error {
	var se *harness.ScenarioError
	if err := harness.ValidateScenario(sc); errors.As(err, &se) {
		path := yamlPath(se.Field, sc.Upstreams)
		b.errs = append(b.errs, &Error{File: b.path, Line: lineOfPath(b.root, path), Field: path, Msg: se.Msg})
	} else if err != nil {
		b.errs = append(b.errs, &Error{File: b.path, Msg: err.Error()})
	}
	var first *Error
	for _, e := range b.errs {
		if first == nil || e.Line < first.Line {
			first = e
		}
	}
	return first
}

var upstreamFieldRE = regexp.MustCompile(`^upstreams\[(\d+)\](\.name)?`)

// yamlPath turns the model's field path into the file's: upstreams are a list in the
// model ("upstreams[0].kind") and a mapping in the file ("upstreams.primary.kind").
func yamlPath(field string, ups []harness.UpstreamSpec) string {
	m := upstreamFieldRE.FindStringSubmatch(field)
	if m == nil {
		return field
	}
	i, _ := strconv.Atoi(m[1])
	if i >= len(ups) {
		return field
	}
	return "upstreams." + ups[i].Name + field[len(m[0]):]
}

// lineOfPath finds the line of a field path ("timeline[1].faults[0].upstream") below n:
// the line of the deepest key or item the path reaches.
func lineOfPath(n *yaml.Node, path string) int {
	line := n.Line
	for _, part := range strings.Split(path, ".") {
		key, rest, _ := strings.Cut(part, "[")
		if key != "" {
			v, kl, ok := mapValue(n, key)
			if !ok {
				return line
			}
			n, line = v, kl
		}
		for rest != "" {
			idx, after, _ := strings.Cut(rest, "]")
			rest = strings.TrimPrefix(after, "[")
			i, err := strconv.Atoi(idx)
			if err != nil || n.Kind != yaml.SequenceNode || i >= len(n.Content) {
				return line
			}
			n, line = n.Content[i], n.Content[i].Line
		}
	}
	return line
}

// mapValue is the value of key in mapping n and the key's line.
func mapValue(n *yaml.Node, key string) (*yaml.Node, int, bool) {
	if n.Kind != yaml.MappingNode {
		return nil, 0, false
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return n.Content[i+1], n.Content[i].Line, true
		}
	}
	return nil, 0, false
}
