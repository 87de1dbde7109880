package starter_test

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"gopkg.in/yaml.v3"

	"github.com/llmchaos/llmchaos/scenarios"
	"github.com/llmchaos/llmchaos/scenarios/starter"
	"github.com/llmchaos/llmchaos/schema"
)

func gatewayConfig(t *testing.T, store bool) starter.Config {
	t.Helper()
	c := starter.Config{AppCommand: []string{"/bin/true"}, Env: map[string]starter.Binding{}, Store: store}
	for _, e := range []string{"PRIMARY_URL=primary", "SECONDARY_URL=secondary", "OTEL_EXPORTER_OTLP_ENDPOINT=collector", "STORE_URL=store", "LISTEN_ADDR=addr", "OPENAI_BASE_URL=primary:/v1"} {
		name, b, err := starter.ParseBinding(e)
		if err != nil {
			t.Fatal(err)
		}
		c.Env[name] = b
	}
	return c
}

// TestWriteValidates: the starter set loads with the scenario loader and validates
// against the JSON Schema; the store outage is there only when asked.
func TestWriteValidates(t *testing.T) {
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(schema.Scenario))
	if err != nil {
		t.Fatal(err)
	}
	comp := jsonschema.NewCompiler()
	if err := comp.AddResource(starter.SchemaURL, doc); err != nil {
		t.Fatal(err)
	}
	sch, err := comp.Compile(starter.SchemaURL)
	if err != nil {
		t.Fatal(err)
	}
	for _, store := range []bool{false, true} {
		dir := t.TempDir()
		paths, err := starter.Write(dir, gatewayConfig(t, store))
		if err != nil {
			t.Fatal(err)
		}
		want := []string{"provider-dropout", "rate-limit-storm", "stream-truncation", "telemetry-overload"}
		if store {
			want = append(want, "store-outage")
		}
		if len(paths) != len(want) {
			t.Fatalf("store=%v: wrote %v, want %v", store, paths, want)
		}
		for i, p := range paths {
			f, err := scenarios.Load(p)
			if err != nil {
				t.Fatalf("%s does not load: %v", p, err)
			}
			if f.Scenario.Name != want[i] || f.Scenario.SUT.Env["OPENAI_BASE_URL"] != "{{ .Upstreams.primary.URL }}/v1" || f.Scenario.SUT.Env["LISTEN_ADDR"] != "{{ .SUT.Addr }}" {
				t.Errorf("%s: name %q, env %v", p, f.Scenario.Name, f.Scenario.SUT.Env)
			}
			data, _ := os.ReadFile(p)
			if !strings.HasPrefix(string(data), "# yaml-language-server: $schema="+starter.SchemaURL+"\n") {
				t.Errorf("%s does not name the schema on its first line", p)
			}
			var v any
			if err := yaml.Unmarshal(data, &v); err != nil {
				t.Fatal(err)
			}
			b, _ := json.Marshal(v)
			inst, _ := jsonschema.UnmarshalJSON(bytes.NewReader(b))
			if err := sch.Validate(inst); err != nil {
				t.Errorf("%s does not validate against the schema: %v", p, err)
			}
		}
	}
}

func TestWriteRefusesWhatItCannotDo(t *testing.T) {
	dir := t.TempDir()
	c := gatewayConfig(t, false)
	if _, err := starter.Write(dir, c); err != nil {
		t.Fatal(err)
	}
	if _, err := starter.Write(dir, c); err == nil || !strings.Contains(err.Error(), "does not overwrite") {
		t.Errorf("a second Write into the same folder: %v, want a refusal to overwrite", err)
	}
	noPrimary := starter.Config{AppCommand: []string{"x"}, Env: map[string]starter.Binding{"X": {Upstream: "secondary"}}}
	if _, err := starter.Write(filepath.Join(dir, "b"), noPrimary); err == nil || !strings.Contains(err.Error(), "primary") {
		t.Errorf("without primary: %v", err)
	}
	if _, err := starter.Write(filepath.Join(dir, "c"), starter.Config{Env: c.Env}); err == nil || !strings.Contains(err.Error(), "--app-cmd") {
		t.Errorf("without a command: %v", err)
	}
	storeless := gatewayConfig(t, true)
	delete(storeless.Env, "STORE_URL")
	if _, err := starter.Write(filepath.Join(dir, "d"), storeless); err == nil || !strings.Contains(err.Error(), "store") {
		t.Errorf("--store without a store binding: %v", err)
	}
	for _, bad := range []string{"NOEQUALS", "X=nosuch", "=primary", "X="} {
		if _, _, err := starter.ParseBinding(bad); err == nil {
			t.Errorf("ParseBinding(%q) accepted it", bad)
		}
	}
}
