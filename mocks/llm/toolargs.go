package llm

import (
	"bytes"
	"encoding/json"
	"sort"
	"strconv"
	"strings"
)

// A tool call's arguments are a JSON object valid for the tool's schema: its required
// properties, each a value of its type (enum and const honoured, minimum for numbers,
// minItems for arrays up to maxGeneratedItems, nested objects to maxSchemaDepth). One
// string among them carries the proof,
//
//	[llmchaos-call upstream=primary id=REQ-1 n=0 sum=1a2b3c4d]
//
// naming who made call n for which correlation id, with an FNV-32a checksum of the tool
// name and of every other argument (in canonical JSON: keys sorted, as encoding/json
// writes a decoded object). The proof goes in the first plain string property (no enum,
// const, format, pattern or maxLength): a required one, else an optional one (by name);
// with none, in an added "llmchaos_proof" property unless additionalProperties is false.
// A schema that leaves no place for it gets arguments without proof, which
// VerifyToolCall reports as ErrNoProof: give such tools a string property.
//
// Other constraints (minLength, maximum, patterns, $ref, if/then) are not honoured.

// ProofProperty is the property added to carry the proof when the schema has no string
// property of its own.
const ProofProperty = "llmchaos_proof"

const (
	// maxSchemaDepth bounds how deep nested objects and arrays are generated.
	maxSchemaDepth = 8
	// maxGeneratedItems bounds the items generated for an array's minItems.
	maxGeneratedItems = 4
	// maxGeneratedValues bounds the values one call's arguments hold (nested arrays
	// would otherwise multiply: 4 items at each of 8 levels); past it, arrays and
	// objects stay empty.
	maxGeneratedValues = 256
)

// jsonSchema is the part of a JSON Schema the generator reads.
type jsonSchema struct {
	Type                 json.RawMessage            `json:"type"`
	Properties           map[string]json.RawMessage `json:"properties"`
	Required             []string                   `json:"required"`
	Enum                 []json.RawMessage          `json:"enum"`
	Const                json.RawMessage            `json:"const"`
	Items                json.RawMessage            `json:"items"`
	MinItems             int                        `json:"minItems"`
	Minimum              json.Number                `json:"minimum"`
	AnyOf                []json.RawMessage          `json:"anyOf"`
	OneOf                []json.RawMessage          `json:"oneOf"`
	AdditionalProperties json.RawMessage            `json:"additionalProperties"`
	Format               string                     `json:"format"`
	Pattern              string                     `json:"pattern"`
	MaxLength            *int                       `json:"maxLength"`
}

func parseSchema(raw json.RawMessage) jsonSchema {
	var s jsonSchema
	_ = json.Unmarshal(raw, &s) // a schema that is not an object generates as {}
	return s
}

// typeName is the schema's type, lower-cased (Gemini's OpenAPI schemas write OBJECT,
// STRING): the first non-null one of a list; "object" for a schema with properties and
// no type; "" when it says none.
func (s *jsonSchema) typeName() string {
	var one string
	if json.Unmarshal(s.Type, &one) == nil {
		return strings.ToLower(one)
	}
	var many []string
	if json.Unmarshal(s.Type, &many) == nil {
		for _, t := range many {
			if t != "null" {
				return strings.ToLower(t)
			}
		}
		if len(many) > 0 {
			return strings.ToLower(many[0])
		}
	}
	if s.Properties != nil {
		return "object"
	}
	return ""
}

// plainString reports whether any string fits the schema (a place for the proof).
func (s *jsonSchema) plainString() bool {
	return s.typeName() == "string" && len(s.Enum) == 0 && s.Const == nil &&
		s.Format == "" && s.Pattern == "" && s.MaxLength == nil
}

// argGen generates the values of one call's arguments.
type argGen struct {
	seed         int64
	upstream, id string
	values       *int // how many values generated so far (maxGeneratedValues)
}

// toolArguments returns the arguments of call n to tool t for (upstream, id).
func toolArguments(seed int64, upstream, id string, n int, t toolSpec) string {
	g := argGen{seed: seed, upstream: upstream, id: id, values: new(int)}
	s := parseSchema(t.schema)
	args := map[string]any{}
	for _, name := range s.Required {
		if raw, ok := s.Properties[name]; ok {
			args[name] = g.value(name, raw, 1)
		} else {
			args[name] = g.word(name)
		}
	}
	key := proofKey(&s)
	if key == "" {
		return canonicalJSON(args)
	}
	delete(args, key)
	rest := canonicalJSON(args)
	args[key] = proofText(t.name, upstream, id, n, rest)
	return canonicalJSON(args)
}

// proofKey is the property that carries the proof, "" when the schema leaves none.
func proofKey(s *jsonSchema) string {
	for _, name := range s.Required {
		if raw, ok := s.Properties[name]; ok && isPlainString(raw) {
			return name
		}
	}
	names := make([]string, 0, len(s.Properties))
	for name := range s.Properties {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		if isPlainString(s.Properties[name]) {
			return name
		}
	}
	if bytes.Equal(bytes.TrimSpace(s.AdditionalProperties), []byte("false")) {
		return ""
	}
	return ProofProperty
}

func isPlainString(raw json.RawMessage) bool {
	s := parseSchema(raw)
	return s.plainString()
}

// value generates a value for the schema raw of property name, depth levels down.
func (g argGen) value(name string, raw json.RawMessage, depth int) any {
	*g.values++
	s := parseSchema(raw)
	switch {
	case s.Const != nil:
		return s.Const
	case len(s.Enum) > 0:
		return s.Enum[0]
	case len(s.AnyOf) > 0:
		return g.value(name, s.AnyOf[0], depth)
	case len(s.OneOf) > 0:
		return g.value(name, s.OneOf[0], depth)
	}
	switch s.typeName() {
	case "integer", "number":
		if s.Minimum != "" {
			return s.Minimum
		}
		return json.Number("1")
	case "boolean":
		return true
	case "null":
		return nil
	case "array":
		return g.array(name, &s, depth)
	case "object":
		return g.object(&s, depth)
	}
	return g.word(name)
}

func (g argGen) array(name string, s *jsonSchema, depth int) any {
	items := []any{}
	if depth >= maxSchemaDepth || *g.values >= maxGeneratedValues {
		return items
	}
	for i := 0; i < min(s.MinItems, maxGeneratedItems); i++ {
		items = append(items, g.value(name+"."+strconv.Itoa(i), s.Items, depth+1))
	}
	return items
}

func (g argGen) object(s *jsonSchema, depth int) any {
	obj := map[string]any{}
	if depth >= maxSchemaDepth || *g.values >= maxGeneratedValues {
		return obj
	}
	for _, req := range s.Required {
		if raw, ok := s.Properties[req]; ok {
			obj[req] = g.value(req, raw, depth+1)
		} else {
			obj[req] = g.word(req)
		}
	}
	return obj
}

// word is a deterministic word for property name.
func (g argGen) word(name string) string {
	h := fnv64a(fnvOffset64, []byte(strconv.FormatInt(g.seed, 10)+"|arg|"+g.upstream+"|"+g.id+"|"+name))
	return words[h%uint64(len(words))]
}

// canonicalJSON writes v as encoding/json writes the object decoded from it (numbers
// kept as written), so generator and verifier agree on the bytes whatever the app did
// to spacing, key order or escapes.
func canonicalJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return "{}"
	}
	var back any
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	if dec.Decode(&back) != nil {
		return "{}"
	}
	out, err := json.Marshal(back)
	if err != nil {
		return "{}"
	}
	return string(out)
}
