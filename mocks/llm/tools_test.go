package llm

import (
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// toolSchemas are schemas the generated arguments must be valid for (checked by a real
// JSON Schema validator), with the property expected to carry the proof.
var toolSchemas = []struct {
	name, schema, proofKey string
}{
	{"strict", `{"type":"object","properties":{"city":{"type":"string"},"unit":{"type":"string","enum":["c","f"]},"days":{"type":"integer","minimum":3}},"required":["unit","city","days"],"additionalProperties":false}`, "city"},
	{"optional-string", `{"type":"object","properties":{"n":{"type":"number"},"note":{"type":"string"},"flag":{"type":"boolean"}},"required":["n","flag"]}`, "note"},
	{"no-string", `{"type":"object","properties":{"n":{"type":"integer"}},"required":["n"]}`, ProofProperty},
	{"nested", `{"type":"object","properties":{"where":{"type":"object","properties":{"lat":{"type":"number"},"tags":{"type":"array","items":{"type":"string"},"minItems":2}},"required":["lat","tags"]},"q":{"type":["string","null"]}},"required":["where","q"]}`, "q"},
	{"const-anyof", `{"type":"object","properties":{"kind":{"const":"search"},"v":{"anyOf":[{"type":"integer"},{"type":"string"}]},"z":{"type":"null"}},"required":["kind","v","z"]}`, ProofProperty},
	{"formats", `{"type":"object","properties":{"when":{"type":"string","format":"date-time"},"id":{"type":"string","pattern":"^[0-9]+$"},"s":{"type":"string","maxLength":3}},"required":["when","id","s"],"additionalProperties":false}`, ""},
	{"empty", `{}`, ProofProperty},
	{"none", ``, ProofProperty},
}

func compileSchema(t *testing.T, name, schema string) *jsonschema.Schema {
	t.Helper()
	if schema == "" {
		schema = `{}`
	}
	doc, err := jsonschema.UnmarshalJSON(strings.NewReader(schema))
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource(name+".json", doc); err != nil {
		t.Fatal(err)
	}
	sch, err := c.Compile(name + ".json")
	if err != nil {
		t.Fatal(err)
	}
	return sch
}

func TestToolArgumentsValidForTheSchema(t *testing.T) {
	for _, c := range toolSchemas {
		args := toolArguments(7, "primary", "REQ-1", 0, toolSpec{name: "f", schema: json.RawMessage(c.schema)})
		doc, err := jsonschema.UnmarshalJSON(strings.NewReader(args))
		if err != nil {
			t.Fatalf("%s: arguments %q are not JSON: %v", c.name, args, err)
		}
		if c.name != "formats" { // format, pattern and maxLength are not honoured, but there is no string to fill
			if err := compileSchema(t, c.name, c.schema).Validate(doc); err != nil {
				t.Fatalf("%s: arguments %s are not valid for the schema: %v", c.name, args, err)
			}
		}
		p, err := VerifyToolCall("f", args)
		if c.proofKey == "" {
			if !errors.Is(err, ErrNoProof) {
				t.Fatalf("%s: no place for the proof, yet %v", c.name, err)
			}
			continue
		}
		if err != nil || p.ID != "REQ-1" || p.Upstream != "primary" || p.Call != 0 {
			t.Fatalf("%s: %s: %+v, %v", c.name, args, p, err)
		}
		var m map[string]any
		_ = json.Unmarshal([]byte(args), &m)
		if s, _ := m[c.proofKey].(string); !strings.HasPrefix(s, "[llmchaos-call ") {
			t.Fatalf("%s: the proof is not in %q: %s", c.name, c.proofKey, args)
		}
	}
}

// TestVerifyToolCallCatchesCutsAndChanges: every prefix of the arguments is cut; {} and
// a replaced object have no proof; a changed value or another tool name fails the
// checksum; re-encoding (spacing, key order, escapes) is not a change.
func TestVerifyToolCallCatchesCutsAndChanges(t *testing.T) {
	args := toolArguments(1, "secondary", "r-9", 2, toolSpec{name: "get_weather", schema: json.RawMessage(toolSchemas[0].schema)})
	for i := 0; i < len(args); i++ {
		if _, err := VerifyToolCall("get_weather", args[:i]); !errors.Is(err, ErrArgumentsCut) {
			t.Fatalf("prefix %q: %v", args[:i], err)
		}
	}
	for _, s := range []string{`{}`, `{"city":"Paris","unit":"c","days":3}`} {
		if _, err := VerifyToolCall("get_weather", s); !errors.Is(err, ErrNoProof) {
			t.Fatalf("%s: %v", s, err)
		}
	}
	var m map[string]any
	_ = json.Unmarshal([]byte(args), &m)
	m["days"] = 4
	changed, _ := json.Marshal(m)
	if _, err := VerifyToolCall("get_weather", string(changed)); !errors.Is(err, ErrArgumentsAltered) {
		t.Fatalf("a changed value: %v", err)
	}
	if _, err := VerifyToolCall("get_time", args); !errors.Is(err, ErrArgumentsAltered) {
		t.Fatalf("another tool's name: %v", err)
	}
	m["days"] = json.Number("3")
	pretty, _ := json.MarshalIndent(m, "", "  ")
	reordered := strings.Replace(string(pretty), "{", `{"unit": "c", `, 1)
	delete(m, "unit")
	if p, err := VerifyToolCall("get_weather", reordered); err != nil || p.Call != 2 || p.Upstream != "secondary" {
		t.Fatalf("re-encoded arguments %s: %+v, %v", reordered, p, err)
	}
	if ToolCallServedBy(args[:40]) != "" && !strings.Contains(args[:40], "[llmchaos-call upstream=") {
		t.Fatalf("served by from a cut before the proof")
	}
	if got := ToolCallServedBy(args); got != "secondary" {
		t.Fatalf("ToolCallServedBy = %q", got)
	}
}

func planFor(req chatRequest, id string) []toolCall {
	return planToolCalls(3, "primary", id, 1, &req, DefaultAutoToolCallShare)
}

func TestPlanToolCalls(t *testing.T) {
	tools := []toolSpec{{name: "a"}, {name: "b"}, {name: "c"}}
	if c := planFor(chatRequest{}, "x"); c != nil {
		t.Fatalf("no tools: %+v", c)
	}
	if c := planFor(chatRequest{tools: tools, toolChoice: toolChoice{mode: choiceNone}}, "x"); c != nil {
		t.Fatalf("none: %+v", c)
	}
	if c := planFor(chatRequest{tools: tools, toolChoice: toolChoice{mode: choiceRequired}, toolResult: true}, "x"); c != nil {
		t.Fatalf("a follow-up with the tool's result: %+v", c)
	}
	one := planFor(chatRequest{tools: tools, toolChoice: toolChoice{mode: choiceRequired}}, "x")
	two := planFor(chatRequest{tools: tools, toolChoice: toolChoice{mode: choiceRequired}, parallel: true}, "x")
	if len(one) != 1 || len(two) != DefaultMaxParallelToolCalls || two[0].name == two[1].name || two[0].id == two[1].id {
		t.Fatalf("required: %+v; parallel: %+v", one, two)
	}
	named := planFor(chatRequest{tools: tools, toolChoice: toolChoice{mode: choiceNamed, name: "c"}, parallel: true}, "x")
	if len(named) != 1 || named[0].name != "c" {
		t.Fatalf("named: %+v", named)
	}
	calls := 0
	for i := 0; i < 1000; i++ {
		req := chatRequest{tools: tools}
		a, b := planFor(req, "id-"+strconv.Itoa(i)), planFor(req, "id-"+strconv.Itoa(i))
		if len(a) != len(b) || (len(a) > 0 && a[0].arguments != b[0].arguments) {
			t.Fatalf("auto is not deterministic for id-%d", i)
		}
		if a != nil {
			calls++
		}
	}
	if calls < 430 || calls > 570 {
		t.Fatalf("auto called tools on %d of 1000 ids, want about %v", calls, DefaultAutoToolCallShare*1000)
	}
	for _, share := range []float64{0, 1} {
		req := chatRequest{tools: tools}
		if c := planToolCalls(3, "p", "x", 1, &req, share); (c != nil) != (share == 1) {
			t.Fatalf("share %v: %+v", share, c)
		}
	}
}

func TestFragmentsKeepRunes(t *testing.T) {
	s := `{"ville":"Zürich-日本-é"}`
	var joined strings.Builder
	for _, f := range fragments(s, 3) {
		if !json.Valid([]byte(strconv.Quote(f))) || len(f) == 0 || len(f) > 4 {
			t.Fatalf("fragment %q", f)
		}
		joined.WriteString(f)
	}
	if joined.String() != s {
		t.Fatalf("joined %q", joined.String())
	}
}

// TestToolArgumentsBounded: nested arrays would multiply (minItems at each level); the
// arguments stay small.
func TestToolArgumentsBounded(t *testing.T) {
	schema := `{"type":"array","minItems":9,"items":`
	nested := `{"type":"object","properties":{"a":` + strings.Repeat(schema, 10) + `{"type":"string"}` + strings.Repeat("}", 10) + `},"required":["a"]}`
	args := toolArguments(1, "p", "id", 0, toolSpec{name: "f", schema: json.RawMessage(nested)})
	if len(args) > 16<<10 {
		t.Fatalf("arguments of %d bytes for a %d-byte schema", len(args), len(nested))
	}
	if _, err := VerifyToolCall("f", args); err != nil {
		t.Fatal(err)
	}
}
