package harness

import (
	"fmt"
	"strings"
	"text/template"
)

// RequestTemplateData is what the driver's request templates (RequestSpec Path, Headers and
// Body) see: the run's TemplateData plus this request's correlation ID and sequence number,
// so a template can say {{ .ID }}, {{ .Seq }} or {{ .Upstreams.primary.URL }}.
type RequestTemplateData struct {
	TemplateData
	// ID is the request's correlation id (also sent as X-Request-Id).
	ID string
	// Seq is the request's index in the schedule, from 0.
	Seq int
}

// driverTemplate is one parsed request template; a text without actions renders as itself.
type driverTemplate struct {
	raw string
	t   *template.Template
}

// parseDriverTemplate parses text as a text/template that fails on missing map keys.
func parseDriverTemplate(name, text string) (driverTemplate, error) {
	if !strings.Contains(text, "{{") {
		return driverTemplate{raw: text}, nil
	}
	t, err := template.New(name).Option("missingkey=error").Parse(text)
	if err != nil {
		return driverTemplate{}, fmt.Errorf("parse request template %s %q: %w", name, text, err)
	}
	return driverTemplate{raw: text, t: t}, nil
}

// render executes the template with data.
func (dt driverTemplate) render(data *RequestTemplateData) (string, error) {
	if dt.t == nil {
		return dt.raw, nil
	}
	var b strings.Builder
	if err := dt.t.Execute(&b, data); err != nil {
		return "", fmt.Errorf("render request template %s %q: %w", dt.t.Name(), dt.raw, err)
	}
	return b.String(), nil
}
