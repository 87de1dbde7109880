package scenarios

import (
	"bytes"
	"encoding/json"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"gopkg.in/yaml.v3"

	"github.com/llmchaos/llmchaos/schema"
)

const schemaFile = "../schema/scenario.schema.json"

// docComments reads the doc comments of the YAML types in file.go: type name → field
// name ("" for the type) → text, for the schema's descriptions.
func docComments(t *testing.T) func(typeName, field string) string {
	t.Helper()
	f, err := parser.ParseFile(token.NewFileSet(), "file.go", nil, parser.ParseComments)
	if err != nil {
		t.Fatal(err)
	}
	docs := map[string]map[string]string{}
	ast.Inspect(f, func(n ast.Node) bool {
		gd, ok := n.(*ast.GenDecl)
		if !ok {
			return true
		}
		for _, spec := range gd.Specs {
			ts, ok := spec.(*ast.TypeSpec)
			if !ok {
				continue
			}
			st, ok := ts.Type.(*ast.StructType)
			if !ok {
				continue
			}
			m := map[string]string{"": typeDoc(ts.Name.Name, oneLine(gd.Doc.Text()))}
			for _, fld := range st.Fields.List {
				for _, name := range fld.Names {
					m[name.Name] = oneLine(fld.Doc.Text())
				}
			}
			docs[ts.Name.Name] = m
		}
		return false
	})
	return func(typeName, field string) string { return docs[typeName][field] }
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// typeDoc drops the Go type's name from its doc comment: "yReady is the app's
// readiness check." describes Ready as "The app's readiness check."
func typeDoc(name, doc string) string {
	rest, ok := strings.CutPrefix(doc, name+" ")
	if !ok {
		return doc
	}
	rest = strings.TrimPrefix(rest, "is ")
	if rest == "" {
		return doc
	}
	return strings.ToUpper(rest[:1]) + rest[1:]
}

// TestSchemaIsGenerated: schema/scenario.schema.json (and so `llmchaos schema`, which
// prints the embedded copy) is what GenerateSchema makes of the Go types now.
func TestSchemaIsGenerated(t *testing.T) {
	got, err := GenerateSchema(docComments(t))
	if err != nil {
		t.Fatal(err)
	}
	if *update {
		if err := os.WriteFile(schemaFile, got, 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("wrote %s", schemaFile)
	}
	want, err := os.ReadFile(schemaFile)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s is not what the Go types generate: run go test ./scenarios -run TestSchemaIsGenerated -update", schemaFile)
	}
	if !*update && !bytes.Equal(want, schema.Scenario) {
		t.Errorf("the schema package embeds another copy than %s", schemaFile)
	}
	var s map[string]any
	if err := json.Unmarshal(got, &s); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(got), `"description": "Rate is requests per second`) {
		t.Errorf("the schema has no description from the doc comments")
	}
}

// compileSchema compiles the checked-in schema with a real JSON Schema validator.
func compileSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(schema.Scenario))
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource(SchemaID, doc); err != nil {
		t.Fatal(err)
	}
	s, err := c.Compile(SchemaID)
	if err != nil {
		t.Fatalf("compile the scenario schema: %v", err)
	}
	return s
}

// yamlToJSONValue decodes a YAML document into the values a JSON validator takes.
func yamlToJSONValue(t *testing.T, data []byte) any {
	t.Helper()
	var v any
	if err := yaml.Unmarshal(data, &v); err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	out, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// schemaLine is the first line of every catalog file: editors (VS Code's and JetBrains'
// YAML support) find the schema through it.
const schemaLine = "# yaml-language-server: $schema=../schema/scenario.schema.json\n"

// TestCatalogValidatesAgainstTheSchema: every catalog file starts with the schema line
// and validates against the schema.
func TestCatalogValidatesAgainstTheSchema(t *testing.T) {
	s := compileSchema(t)
	files, err := filepath.Glob("*.yaml")
	if err != nil || len(files) == 0 {
		t.Fatalf("no catalog files: %v", err)
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.HasPrefix(data, []byte(schemaLine)) {
			t.Errorf("%s does not start with %q", f, schemaLine)
		}
		if err := s.Validate(yamlToJSONValue(t, data)); err != nil {
			t.Errorf("%s: %v", f, err)
		}
	}
}

// TestSchemaAndLoaderRejectTheSameMistakes: a file with an unknown field and one with a
// bad fault type (or a field its type does not take) fail the schema and the loader
// both; the file they were made from passes both (the control).
func TestSchemaAndLoaderRejectTheSameMistakes(t *testing.T) {
	s := compileSchema(t)
	base, err := os.ReadFile("provider-dropout.yaml")
	if err != nil {
		t.Fatal(err)
	}
	const fault = "faults: [{upstream: primary, type: down}]"
	if !bytes.Contains(base, []byte(fault)) {
		t.Fatalf("provider-dropout.yaml no longer holds %q: update this test", fault)
	}
	cases := []struct {
		name, from, to, loaderSays string
	}{
		{"control", "", "", ""},
		{"unknown top-level field", "seed: 1\n", "seed: 1\ntimelne: []\n", "timelne"},
		{"unknown load field", "  rate: 20/s\n", "  rate: 20/s\n  burst: 3\n", "burst"},
		{"bad fault type", fault, "faults: [{upstream: primary, type: dwon}]", `unknown fault type "dwon"`},
		{"field the fault type does not take", fault, "faults: [{upstream: primary, type: down, latency: 1s}]", "does not take latency"},
		{"protocol modifier on a network fault", fault, "faults: [{upstream: primary, type: down, ramp: {from: 0.1, to: 0.5}}]", "ramp"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			data := bytes.Replace(base, []byte(c.from), []byte(c.to), 1)
			if c.from != "" && bytes.Equal(data, base) {
				t.Fatalf("%q is not in provider-dropout.yaml", c.from)
			}
			schemaErr := s.Validate(yamlToJSONValue(t, data))
			_, loadErr := Parse(filepath.Join(t.TempDir(), "x.yaml"), data)
			if c.loaderSays == "" {
				if schemaErr != nil || loadErr != nil {
					t.Fatalf("the unchanged file: schema %v, loader %v; want both to accept it", schemaErr, loadErr)
				}
				return
			}
			if schemaErr == nil {
				t.Errorf("the schema accepted it")
			}
			if loadErr == nil || !strings.Contains(loadErr.Error(), c.loaderSays) {
				t.Errorf("loader: %v, want an error naming %q", loadErr, c.loaderSays)
			}
		})
	}
}
