package scenarios

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/llmchaos/llmchaos/harness"
)

// File is one scenario file, loaded and checked: the harness model it describes plus
// what the catalog keeps beside it.
type File struct {
	// Path is the file it came from.
	Path     string
	Scenario harness.Scenario
	// References cite the public record an incident replay was scaled from.
	References []string
	// Expect is the verdict the catalog expects per reference app ("gateway", "naive").
	Expect map[string]Expectation
}

// Expectation is what a reference app is expected to get from a scenario.
type Expectation struct {
	// Pass is the expected verdict.
	Pass bool
	// Breached lists SLO expressions that must be among the breached ones when Pass is false.
	Breached []string
	// Why says in a sentence what the app lacks (or has).
	Why string
}

// Load reads and checks one scenario file. Every problem is an *Error naming the file,
// the line and the field. Only a regular file of at most DefaultMaxScenarioBytes is
// read: a FIFO, a device or a directory is refused without being opened.
func Load(path string) (*File, error) {
	data, err := readScenarioFile(path)
	if err != nil {
		return nil, err
	}
	return Parse(path, data)
}

// Parse checks a scenario given as bytes; path names it in errors and anchors a relative sut.dir.
func Parse(path string, data []byte) (*File, error) {
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		return nil, fromYAML(path, err)
	}
	if root.Kind == 0 || len(root.Content) == 0 || root.Content[0].Tag == "!!null" {
		return nil, &Error{File: path, Line: 1, Msg: "the file is empty: a scenario needs name, upstreams, sut, load, timeline and slo"}
	}
	var y yScenario
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&y); err != nil && !errors.Is(err, io.EOF) {
		e := fromYAML(path, err)
		var se *Error
		if errors.As(e, &se) && se.Field == "" && se.Line > 0 {
			if field, line, ok := aliasUse(root.Content[0], se.Line); ok {
				se.Field, se.Line = field, line
			} else {
				se.Field = fieldAt(root.Content[0], se.Line)
			}
		}
		return nil, e
	}
	b := &builder{path: path, root: root.Content[0]}
	f := b.build(&y)
	if err := b.check(f.Scenario); err != nil {
		return nil, err
	}
	return f, nil
}

// LoadDir loads every *.yaml and *.yml file in dir, sorted by name. It stops at the first bad file.
func LoadDir(dir string) ([]*File, error) {
	var paths []string
	for _, pat := range []string{"*.yaml", "*.yml"} {
		m, err := filepath.Glob(filepath.Join(dir, pat))
		if err != nil {
			return nil, err
		}
		paths = append(paths, m...)
	}
	if len(paths) == 0 {
		return nil, fmt.Errorf("no scenario files (*.yaml) in %s", dir)
	}
	sort.Strings(paths)
	out := make([]*File, 0, len(paths))
	for _, p := range paths {
		f, err := Load(p)
		if err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	return out, nil
}

// lineOf finds the line of the value at a path of mapping keys below n; 0 if absent.
func lineOf(n *yaml.Node, keys ...string) int {
	line := n.Line
	for _, k := range keys {
		if n.Kind != yaml.MappingNode {
			return line
		}
		found := false
		for i := 0; i+1 < len(n.Content); i += 2 {
			if n.Content[i].Value == k {
				line, n, found = n.Content[i].Line, n.Content[i+1], true
				break
			}
		}
		if !found {
			return line
		}
	}
	return line
}

func trimField(s string) string { return strings.TrimPrefix(s, ".") }

// LoadPaths loads files and every scenario file in folders, in the order given.
func LoadPaths(paths ...string) ([]*File, error) {
	if len(paths) == 0 {
		return nil, fmt.Errorf("no scenario files given")
	}
	var out []*File
	for _, p := range paths {
		st, err := os.Stat(p)
		if err != nil {
			return nil, &Error{File: p, Msg: fmt.Sprintf("cannot read: %v", err)}
		}
		if st.IsDir() {
			fs, err := LoadDir(p)
			if err != nil {
				return nil, err
			}
			out = append(out, fs...)
			continue
		}
		f, err := Load(p)
		if err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	return out, nil
}

// fieldAt names the field whose value starts on line, as a path ("timeline[0].for"): the
// innermost scalar, else the outermost list, map or alias (a type error on a collection
// is reported on the line where it starts); "" when none does.
func fieldAt(n *yaml.Node, line int) string {
	var best, outer string
	see := func(v *yaml.Node, p string) {
		switch {
		case v.Line != line:
		case v.Kind == yaml.ScalarNode:
			best = p
		case outer == "":
			outer = p
		}
	}
	var walk func(n *yaml.Node, path string)
	walk = func(n *yaml.Node, path string) {
		switch n.Kind {
		case yaml.MappingNode:
			for i := 0; i+1 < len(n.Content); i += 2 {
				p := joinField(path, n.Content[i].Value)
				see(n.Content[i+1], p)
				walk(n.Content[i+1], p)
			}
		case yaml.SequenceNode:
			for i, v := range n.Content {
				p := fmt.Sprintf("%s[%d]", path, i)
				see(v, p)
				walk(v, p)
			}
		}
	}
	walk(n, "")
	if best == "" {
		return outer
	}
	return best
}
