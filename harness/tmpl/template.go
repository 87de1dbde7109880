package tmpl

import (
	"fmt"
	"strings"
	"text/template"
)

// Template is one parsed template; a text without "{{" renders as itself.
type Template struct {
	name, raw string
	t         *template.Template
}

// Parse parses text as a template named name (the field it came from, e.g.
// "sut.env.PRIMARY_URL"; it appears in errors). A missing key is an error when it renders.
func Parse(name, text string) (*Template, error) {
	tp := &Template{name: name, raw: text}
	if !strings.Contains(text, "{{") {
		return tp, nil
	}
	t, err := template.New(name).Option("missingkey=error").Parse(text)
	if err != nil {
		return nil, fmt.Errorf("template %s %q does not parse: %w", name, text, err)
	}
	tp.t = t
	return tp, nil
}

// Render executes the template with data (a Data or a Request).
func (tp *Template) Render(data any) (string, error) {
	if tp.t == nil {
		return tp.raw, nil
	}
	var b strings.Builder
	if err := tp.t.Execute(&b, data); err != nil {
		return "", fmt.Errorf("template %s %q: %w (it can use .Scenario, .SUT.Addr and .Upstreams.NAME.URL/.Kind/.Name for the scenario's upstreams%s)", tp.name, tp.raw, err, requestHint(data))
	}
	return b.String(), nil
}

func requestHint(data any) string {
	switch data.(type) {
	case Request, *Request:
		return ", and .ID and .Seq for the request"
	}
	return ""
}

// Render parses and renders text over data in one go (see Parse).
func Render(name, text string, data Data) (string, error) {
	tp, err := Parse(name, text)
	if err != nil {
		return "", err
	}
	return tp.Render(data)
}
