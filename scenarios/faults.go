package scenarios

import (
	"encoding/json"
	"errors"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/llmchaos/llmchaos/harness"
	"github.com/llmchaos/llmchaos/harness/fault"
)

// fault turns one YAML fault (a mapping: upstream, type and the type's fields) into a
// FaultSpec through the fault registry; field is its path ("timeline[1].faults[0]").
// A registry error points at the line of the field it names.
func (b *builder) fault(field string, n *yaml.Node) (harness.FaultSpec, bool) {
	if n.Kind != yaml.MappingNode {
		b.fail(n.Line, field, "want a mapping like {upstream: primary, type: down}")
		return harness.FaultSpec{}, false
	}
	var upstream string
	rest := &yaml.Node{Kind: yaml.MappingNode, Line: n.Line, Column: n.Column}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if k.Value == "upstream" {
			if v.Kind != yaml.ScalarNode {
				b.fail(v.Line, field+".upstream", "want the name of an upstream")
				return harness.FaultSpec{}, false
			}
			upstream = v.Value
			continue
		}
		rest.Content = append(rest.Content, k, v)
	}
	var m map[string]any
	if err := rest.Decode(&m); err != nil {
		b.fail(n.Line, field, "%v", err)
		return harness.FaultSpec{}, false
	}
	data, err := json.Marshal(m)
	if err != nil {
		b.fail(n.Line, field, "%v", err)
		return harness.FaultSpec{}, false
	}
	f, err := fault.Decode(data)
	if err != nil {
		var fe *fault.FieldError
		if !errors.As(err, &fe) {
			fe = &fault.FieldError{Msg: err.Error()}
		}
		line := n.Line
		if fe.Field != "" {
			line = lineOf(n, strings.Split(fe.Field, ".")...)
		}
		b.fail(line, joinField(field, fe.Field), "%s", fe.Msg)
		return harness.FaultSpec{}, false
	}
	return harness.FaultSpec{Upstream: upstream, Fault: f}, true
}
