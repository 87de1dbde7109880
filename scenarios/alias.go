package scenarios

import (
	"fmt"
	"reflect"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// aliasUse names the field of a decoding error reported on line when that line holds a
// node reused through YAML aliases: yaml.v3 reports an error on an alias at the line of
// the anchored node, so the field there (the anchor's) may not be the one that failed.
// Of the anchor and its aliases, in file order, it returns the first whose field's Go type
// cannot take the node, with that use's line; ok is false when line holds no anchor
// used by an alias.
func aliasUse(root *yaml.Node, line int) (field string, useLine int, ok bool) {
	type use struct {
		path string
		line int
		node *yaml.Node // the anchored node
	}
	var uses []use
	aliased := false
	var walk func(n *yaml.Node, path string)
	visit := func(v *yaml.Node, path string) {
		switch {
		case v.Kind == yaml.AliasNode && v.Alias != nil && v.Alias.Line == line:
			uses, aliased = append(uses, use{path, v.Line, v.Alias}), true
		case v.Anchor != "" && v.Line == line:
			uses = append(uses, use{path, v.Line, v})
		}
		walk(v, path)
	}
	walk = func(n *yaml.Node, path string) {
		switch n.Kind {
		case yaml.MappingNode:
			for i := 0; i+1 < len(n.Content); i += 2 {
				visit(n.Content[i+1], joinField(path, n.Content[i].Value))
			}
		case yaml.SequenceNode:
			for i, v := range n.Content {
				visit(v, fmt.Sprintf("%s[%d]", path, i))
			}
		}
	}
	walk(root, "")
	if !aliased {
		return "", 0, false
	}
	for _, u := range uses {
		t := fieldType(reflect.TypeFor[yScenario](), u.path)
		if t == nil {
			continue
		}
		if u.node.Decode(reflect.New(t).Interface()) != nil {
			return u.path, u.line, true
		}
	}
	return "", 0, false
}

// fieldType is the Go type a field path ("upstreams.primary.kind", "labels[1]") decodes
// into, starting from t; nil when the path leaves the file's types.
func fieldType(t reflect.Type, path string) reflect.Type {
	for _, part := range strings.Split(path, ".") {
		key, rest, _ := strings.Cut(part, "[")
		if key != "" {
			if t = keyType(t, key); t == nil {
				return nil
			}
		}
		for rest != "" {
			idx, after, _ := strings.Cut(rest, "]")
			rest = strings.TrimPrefix(after, "[")
			if _, err := strconv.Atoi(idx); err != nil || t.Kind() != reflect.Slice {
				return nil
			}
			t = t.Elem()
		}
	}
	return t
}

// keyType is the type of a mapping key's value: a struct field by its yaml tag, a map's element.
func keyType(t reflect.Type, key string) reflect.Type {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.Map:
		return t.Elem()
	case reflect.Struct:
		for i := 0; i < t.NumField(); i++ {
			if name, _, _ := strings.Cut(t.Field(i).Tag.Get("yaml"), ","); name == key {
				return t.Field(i).Type
			}
		}
	}
	return nil
}
