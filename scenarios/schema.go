package scenarios

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"time"

	"github.com/invopop/jsonschema"
	"gopkg.in/yaml.v3"

	"github.com/llmchaos/llmchaos/harness"
	"github.com/llmchaos/llmchaos/harness/fault"
	"github.com/llmchaos/llmchaos/harness/load"
	"github.com/llmchaos/llmchaos/mocks/control"
)

// SchemaID is the $id of the scenario files' JSON Schema: where the checked-in copy
// (schema/scenario.schema.json) is published.
const SchemaID = "https://raw.githubusercontent.com/llmchaos/llmchaos/main/schema/scenario.schema.json"

// durationPattern is a Go duration as the loader reads it ("500ms", "1h30m", "1.5s").
const durationPattern = `^([0-9]+(\.[0-9]+)?(ns|us|µs|ms|s|m|h))+$|^0$`

// GenerateSchema returns the JSON Schema (draft 2020-12) of scenario files, generated
// from the loader's YAML types: their fields (the YAML names), the kinds and protocols
// the harness takes, and the fault object from the fault registry (one alternative per
// fault type with that type's fields). describe, when not nil, gives the description of
// a type ("yScenario", "") or of one of its fields ("yScenario", "Name"): the test that
// keeps schema/scenario.schema.json equal passes the types' doc comments.
func GenerateSchema(describe func(typeName, field string) string) ([]byte, error) {
	r := &jsonschema.Reflector{
		FieldNameTag:               "yaml",
		RequiredFromJSONSchemaTags: true,
		ExpandedStruct:             true,
		Namer:                      func(t reflect.Type) string { return strings.TrimPrefix(t.Name(), "y") },
		Mapper:                     leafSchema,
	}
	if describe != nil {
		r.LookupComment = func(t reflect.Type, field string) string { return describe(t.Name(), field) }
	}
	s := r.Reflect(&yScenario{})
	s.ID = SchemaID
	s.Title = "llmchaos scenario"
	s.Definitions["Fault"] = faultSchema()
	setEnum(s.Definitions["Upstream"], "kind", harness.UpstreamKinds())
	setEnum(s.Definitions["Request"], "protocol", load.Protocols())
	setEnum(s.Definitions["Expect"], "verdict", []string{"pass", "fail"})
	b, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("encode the scenario schema: %w", err)
	}
	return append(b, '\n'), nil
}

// leafSchema maps the loader's leaf types (which read YAML scalars themselves) to
// their JSON shapes; nil for the rest.
func leafSchema(t reflect.Type) *jsonschema.Schema {
	switch t {
	case reflect.TypeFor[yString]():
		return &jsonschema.Schema{Type: "string"}
	case reflect.TypeFor[yDuration]():
		return &jsonschema.Schema{Type: "string", Pattern: durationPattern, Examples: []any{"500ms", "2s", "1h30m"}}
	case reflect.TypeFor[yRate]():
		return &jsonschema.Schema{OneOf: []*jsonschema.Schema{
			{Type: "string", Pattern: `^\s*[0-9]+(\.[0-9]+)?\s*(/\s*[sm])?\s*$`, Examples: []any{"20/s", "600/m"}},
			{Type: "number", ExclusiveMinimum: json.Number("0")},
		}}
	case reflect.TypeFor[yaml.Node]():
		return &jsonschema.Schema{Ref: "#/$defs/Fault"}
	}
	return nil
}

// setEnum restricts the string property name of def to values.
func setEnum[S ~string](def *jsonschema.Schema, name string, values []S) {
	p, ok := def.Properties.Get(name)
	if !ok {
		panic("scenarios: schema has no property " + name) // a renamed field: the schema test fails here
	}
	for _, v := range values {
		p.Enum = append(p.Enum, string(v))
	}
}

// faultSchema is the fault object: one alternative per registered type, each an
// object with upstream, its type word, its fields and its modifiers, nothing else.
func faultSchema() *jsonschema.Schema {
	s := &jsonschema.Schema{Description: "A fault on one upstream for the phase: {upstream: primary, type: down} or a type with its fields. Network faults are played by the upstream's proxy, protocol faults by its mock."}
	for _, t := range fault.Types() {
		props := jsonschema.NewProperties()
		props.Set("upstream", &jsonschema.Schema{Type: "string", Description: "The upstream the fault hits (a key of upstreams)."})
		props.Set("type", &jsonschema.Schema{Const: t.Name})
		for _, f := range t.FieldTypes() {
			props.Set(f.Name, fieldSchema(f))
		}
		props.Set("flap", modifierSchema("flap", "Switch the fault on and off every period/2, on first."))
		if t.Family == fault.FamilyProtocol {
			props.Set("ramp", modifierSchema("ramp", "Move the share of requests hit from `from` to `to` in `steps` over `over` (default: the phase)."))
		}
		s.OneOf = append(s.OneOf, &jsonschema.Schema{
			Title: t.Name, Description: fmt.Sprintf("(%s) %s", t.Family, t.Doc),
			Type: "object", Properties: props, Required: []string{"upstream", "type"},
			AdditionalProperties: jsonschema.FalseSchema,
		})
	}
	return s
}

func modifierSchema(name, desc string) *jsonschema.Schema {
	props := jsonschema.NewProperties()
	for _, f := range fault.ModifierFields(name) {
		props.Set(f.Name, fieldSchema(f))
	}
	return &jsonschema.Schema{Type: "object", Description: desc, Properties: props, AdditionalProperties: jsonschema.FalseSchema}
}

// fieldSchema is one fault field's JSON shape, from its Go type. A fault duration is a
// Go duration string or a number of seconds, as the registry decodes it.
func fieldSchema(f fault.Field) *jsonschema.Schema {
	switch f.Type {
	case reflect.TypeFor[time.Duration](), reflect.TypeFor[control.Duration]():
		return &jsonschema.Schema{OneOf: []*jsonschema.Schema{
			{Type: "string", Pattern: durationPattern}, {Type: "number", Minimum: json.Number("0")},
		}}
	case reflect.TypeFor[fault.Direction]():
		return &jsonschema.Schema{Type: "string", Enum: []any{string(fault.DirDownstream), string(fault.DirUpstream)}}
	case reflect.TypeFor[control.RetryAfterFormat]():
		return &jsonschema.Schema{Type: "string", Enum: []any{string(control.RetryAfterSeconds), string(control.RetryAfterDate), string(control.RetryAfterMs)}}
	}
	switch f.Type.Kind() {
	case reflect.Bool:
		return &jsonschema.Schema{Type: "boolean"}
	case reflect.Pointer:
		return fieldSchema(fault.Field{Name: f.Name, Type: f.Type.Elem()})
	case reflect.Float32, reflect.Float64:
		return &jsonschema.Schema{Type: "number"}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return &jsonschema.Schema{Type: "integer"}
	}
	return &jsonschema.Schema{Type: "string"}
}
