package fault

import (
	"reflect"
	"strings"

	"github.com/llmchaos/llmchaos/mocks/control"
)

// Field is one field a fault type (or a modifier) takes: its name in YAML and JSON and
// the Go type its value decodes into (a time.Duration or control.Duration is written
// like "500ms"). A schema generator reads these; the decoder reads the same tags.
type Field struct {
	Name string
	Type reflect.Type
}

// FieldTypes returns t's fields (t.Fields, in that order) with their Go types.
func (t Type) FieldTypes() []Field {
	var byName map[string]reflect.Type
	if t.Family == FamilyNetwork {
		for _, n := range networkTypes {
			if string(n.name) == t.Name {
				byName = taggedTypes(reflect.TypeOf(n.zero()).Elem(), "fault")
			}
		}
	} else {
		byName = taggedTypes(reflect.TypeFor[control.Fault](), "json")
	}
	out := make([]Field, 0, len(t.Fields))
	for _, name := range t.Fields {
		out = append(out, Field{Name: name, Type: byName[name]})
	}
	return out
}

// ModifierFields returns the fields of the modifier flap (any fault) or ramp (protocol
// faults), nil for another name.
func ModifierFields(name string) []Field {
	var st reflect.Type
	switch name {
	case "flap":
		st = reflect.TypeFor[Flap]()
	case "ramp":
		st = reflect.TypeFor[Ramp]()
	default:
		return nil
	}
	var out []Field
	for i := 0; i < st.NumField(); i++ {
		if tag := st.Field(i).Tag.Get("fault"); tag != "" {
			out = append(out, Field{Name: tag, Type: st.Field(i).Type})
		}
	}
	return out
}

// taggedTypes maps the names in tag (before a comma) of st's fields, embedded structs'
// included, to their types.
func taggedTypes(st reflect.Type, tag string) map[string]reflect.Type {
	out := map[string]reflect.Type{}
	for i := 0; i < st.NumField(); i++ {
		f := st.Field(i)
		if f.Anonymous && f.Type.Kind() == reflect.Struct {
			for k, v := range taggedTypes(f.Type, tag) {
				out[k] = v
			}
			continue
		}
		if name, _, _ := strings.Cut(f.Tag.Get(tag), ","); name != "" && name != "-" {
			out[name] = f.Type
		}
	}
	return out
}
