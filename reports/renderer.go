package reports

import (
	"fmt"
	"io"
	"sort"
	"strings"
)

// Renderer writes a set of reports in one format. sum indexes reps (NewSummary); a nil
// sum is built from reps with a zero generation time.
type Renderer interface {
	Render(w io.Writer, reps []*Report, sum *Summary) error
}

// The renderers.
var (
	_ Renderer = JSON{}
	_ Renderer = Markdown{}
	_ Renderer = HTML{}
	_ Renderer = JUnit{}
)

// Formats are the names RendererFor accepts.
var formats = map[string]Renderer{
	"json":     JSON{},
	"markdown": Markdown{},
	"md":       Markdown{},
	"html":     HTML{},
	"junit":    JUnit{},
}

// RendererFor returns the renderer for a format name: json, markdown (md), html, junit.
func RendererFor(format string) (Renderer, error) {
	r, ok := formats[strings.ToLower(format)]
	if !ok {
		names := make([]string, 0, len(formats))
		for n := range formats {
			names = append(names, n)
		}
		sort.Strings(names)
		return nil, fmt.Errorf("unknown report format %q: use one of %s", format, strings.Join(names, ", "))
	}
	return r, nil
}

// JSON renders the reports as one indented JSON array (each element a Report); for one
// scenario's file use Report.WriteJSON.
type JSON struct {
	// Redactor cleans every string before it is rendered (Clean); nil is DefaultRedactor().
	Redactor *Redactor
}

// Render writes reps as a JSON array.
func (j JSON) Render(w io.Writer, reps []*Report, _ *Summary) error {
	reps = Clean(reps, j.Redactor)
	if reps == nil {
		reps = []*Report{}
	}
	return writeJSON(w, reps)
}

func summaryOf(reps []*Report, sum *Summary) *Summary {
	if sum != nil {
		return sum
	}
	return NewSummary(reps, zeroTime)
}
