package tmpl

import (
	"errors"
	"fmt"
	"strings"
	"text/template"
	"text/template/parse"
)

// Template limits: a template is one value (an env var, a header, a request body), so
// what it may do is bounded. A limit that is hit is an error naming it.
const (
	// MaxRenderedBytes is the most a template may render to; rendering stops with an
	// error past it.
	MaxRenderedBytes = 1 << 20
	// MaxRangeCount is the most iterations a template's ranges over numbers ({{ range 10 }})
	// may make, nested ranges multiplied.
	MaxRangeCount = 1000
)

// Template is one parsed template; a text without "{{" renders as itself.
type Template struct {
	name, raw string
	t         *template.Template
}

// Parse parses text as a template named name (the field it came from, e.g.
// "sut.env.PRIMARY_URL"; it appears in errors). A missing key is an error when it renders.
// A template may not define or call other templates ({{ define }}, {{ template }},
// {{ block }}) nor range over numbers for more than MaxRangeCount iterations: both could
// run for ever without writing a byte.
func Parse(name, text string) (*Template, error) {
	tp := &Template{name: name, raw: text}
	if !strings.Contains(text, "{{") {
		return tp, nil
	}
	t, err := template.New(name).Option("missingkey=error").Parse(text)
	if err != nil {
		return nil, fmt.Errorf("template %s %q does not parse: %w", name, clip(text), err)
	}
	if len(t.Templates()) > 1 {
		return nil, fmt.Errorf("template %s %q: {{ define }} and {{ block }} are not allowed: a value's template is one expression", name, clip(text))
	}
	if t.Tree != nil {
		if err := checkNodes(t.Tree.Root, 1); err != nil {
			return nil, fmt.Errorf("template %s %q: %w", name, clip(text), err)
		}
	}
	tp.t = t
	return tp, nil
}

// checkNodes refuses {{ template }} calls and ranges over numbers that, times the
// iterations of the ranges around them (outer), exceed MaxRangeCount.
func checkNodes(n parse.Node, outer int64) error {
	switch n := n.(type) {
	case *parse.ListNode:
		if n == nil {
			return nil
		}
		for _, c := range n.Nodes {
			if err := checkNodes(c, outer); err != nil {
				return err
			}
		}
	case *parse.TemplateNode:
		return fmt.Errorf("{{ template %q }} is not allowed: a value's template is one expression", n.Name)
	case *parse.RangeNode:
		count, err := rangeCount(n.Pipe, outer)
		if err != nil {
			return err
		}
		return errors.Join(checkNodes(n.List, count), checkNodes(n.ElseList, outer))
	case *parse.IfNode:
		return errors.Join(checkNodes(n.List, outer), checkNodes(n.ElseList, outer))
	case *parse.WithNode:
		return errors.Join(checkNodes(n.List, outer), checkNodes(n.ElseList, outer))
	}
	return nil
}

// rangeCount is the iterations of a range over a number literal times outer (outer for a
// range over data, which the data bounds), or an error past MaxRangeCount.
func rangeCount(p *parse.PipeNode, outer int64) (int64, error) {
	if p == nil || len(p.Cmds) != 1 || len(p.Cmds[0].Args) != 1 {
		return outer, nil
	}
	num, ok := p.Cmds[0].Args[0].(*parse.NumberNode)
	if !ok {
		return outer, nil
	}
	if !num.IsInt || num.Int64 > MaxRangeCount || num.Int64*outer > MaxRangeCount {
		return 0, fmt.Errorf("{{ range %s }}: a template's ranges over numbers may make at most %d iterations, nested ones multiplied (MaxRangeCount)", num.Text, MaxRangeCount)
	}
	return max(num.Int64, 1) * outer, nil
}

// Render executes the template with data (a Data or a Request). Output past
// MaxRenderedBytes stops it with an error naming the limit.
func (tp *Template) Render(data any) (string, error) {
	if tp.t == nil {
		return tp.raw, nil
	}
	b := &cappedBuilder{limit: MaxRenderedBytes}
	if err := tp.t.Execute(b, data); err != nil {
		if errors.Is(err, errRenderedTooLarge) {
			return "", fmt.Errorf("template %s %q renders to more than %d bytes (MaxRenderedBytes): a value's template must render a value, not a document", tp.name, clip(tp.raw), MaxRenderedBytes)
		}
		return "", fmt.Errorf("template %s %q: %w (it can use .Scenario, .SUT.Addr and .Upstreams.NAME.URL/.Kind/.Name for the scenario's upstreams%s)", tp.name, clip(tp.raw), err, requestHint(data))
	}
	return b.String(), nil
}

var errRenderedTooLarge = errors.New("rendered template too large")

// cappedBuilder is a strings.Builder that refuses to grow past limit.
type cappedBuilder struct {
	strings.Builder
	limit int
}

func (b *cappedBuilder) Write(p []byte) (int, error) {
	if b.Len()+len(p) > b.limit {
		return 0, errRenderedTooLarge
	}
	return b.Builder.Write(p)
}

// WriteString is Write for strings (text/template uses it when the writer has it).
func (b *cappedBuilder) WriteString(s string) (int, error) {
	if b.Len()+len(s) > b.limit {
		return 0, errRenderedTooLarge
	}
	return b.Builder.WriteString(s)
}

// clip shortens a template's text for an error message.
func clip(s string) string {
	const max = 200
	if len(s) <= max {
		return s
	}
	return s[:max] + fmt.Sprintf("…(%d bytes)", len(s))
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
