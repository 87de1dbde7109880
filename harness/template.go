package harness

import (
	"fmt"
	"strings"
	"text/template"
)

// RenderTemplate renders text as a text/template over data ({{ .Upstreams.primary.URL }},
// {{ .SUT.Addr }}, {{ .Scenario }}). A key that does not exist is an error, not "<no value>".
// name says which field the template came from (e.g. "sut.env.PRIMARY_URL") and appears
// in the error. Text without "{{" is returned as is.
func RenderTemplate(name, text string, data TemplateData) (string, error) {
	if !strings.Contains(text, "{{") {
		return text, nil
	}
	t, err := template.New(name).Option("missingkey=error").Parse(text)
	if err != nil {
		return "", fmt.Errorf("template %s %q does not parse: %w", name, text, err)
	}
	var b strings.Builder
	if err := t.Execute(&b, data); err != nil {
		return "", fmt.Errorf("template %s %q: %w (it can use .Scenario, .SUT.Addr and .Upstreams.NAME.URL/.Kind/.Name for the scenario's upstreams)", name, text, err)
	}
	return b.String(), nil
}
