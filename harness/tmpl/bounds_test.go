package tmpl

import (
	"fmt"
	"strings"
	"testing"
)

// TestTemplatesAreBounded: a template that could run for ever or render without bound is
// refused when it parses (ranges over big numbers, nested or not; define/template/block),
// or stops with an error naming MaxRenderedBytes when it renders too much. Small ranges
// and ranges over data still work.
func TestTemplatesAreBounded(t *testing.T) {
	for _, text := range []string{
		"{{ range 100000000000 }}x{{ end }}",
		"{{ range 100000000000 }}{{ end }}",
		"{{ range 1000 }}{{ range 1000 }}{{ end }}{{ end }}",
		"{{ if true }}{{ range 2000 }}{{ end }}{{ end }}",
		`{{ define "a" }}x{{ end }}{{ template "a" }}`,
		`{{ block "b" . }}x{{ end }}`,
		`{{ template "nope" }}`,
	} {
		if _, err := Parse("sut.env.X", text); err == nil {
			t.Errorf("%s: parsed, want it refused", text)
		} else if !strings.Contains(err.Error(), "sut.env.X") {
			t.Errorf("%s: error does not name the field: %v", text, err)
		}
	}
	_, err := Render("load.request.body", `{{ range 1000 }}{{ printf "%0100000d" 1 }}{{ end }}`, testData())
	if err == nil || !strings.Contains(err.Error(), fmt.Sprint(MaxRenderedBytes)) || !strings.Contains(err.Error(), "load.request.body") {
		t.Fatalf("a template rendering 100 MB: %v, want an error naming the field and the %d-byte limit", err, MaxRenderedBytes)
	}
	s, err := Render("x", `{{ range 3 }}a{{ end }}{{ range $k, $u := .Upstreams }}{{ $k }}{{ end }}`, testData())
	if err != nil || s != "aaaprimary" {
		t.Fatalf("small ranges: %q %v", s, err)
	}
	long := strings.Repeat("y", 10000) + "{{ .Nope }}"
	if _, err := Render("x", long, testData()); err == nil || len(err.Error()) > 1000 {
		t.Fatalf("an error echoing a 10 KB template should be cut: %d bytes: %v", len(err.Error()), err)
	}
}
