package reports

import (
	"fmt"
	"html/template"
	"math"
	"strconv"
	"strings"
)

// Chart geometry, in SVG user units (the SVG scales to its container by viewBox).
const (
	chartW      = 960
	chartH      = 230
	chartLeft   = 64
	chartRight  = 16
	chartTop    = 40
	chartBottom = 40
	plotW       = chartW - chartLeft - chartRight
	plotH       = chartH - chartTop - chartBottom
)

// Chart colours.
const (
	colorOK      = "#16a34a"
	colorOKFill  = "#bbf7d0"
	colorFail    = "#dc2626"
	colorP99     = "#7c3aed"
	colorUnknown = "#9ca3af"
	colorGrid    = "#e5e7eb"
	colorAxis    = "#6b7280"
	colorText    = "#374151"
)

var upstreamPalette = []string{"#0891b2", "#db2777", "#65a30d", "#9333ea", "#ea580c"}

// legendItem is one coloured series name.
type legendItem struct {
	Name  string
	Color string
}

// chart is one rendered SVG with its legend.
type chart struct {
	Title  string
	SVG    template.HTML
	Legend []legendItem
}

// timeAxis maps run time (ms) to x.
type timeAxis struct{ maxMS float64 }

func (a timeAxis) x(t float64) float64 {
	return chartLeft + math.Max(0, math.Min(t, a.maxMS))/a.maxMS*plotW
}

func newTimeAxis(r *Report) timeAxis {
	m := r.DurationMS
	for _, p := range r.Phases {
		m = math.Max(m, p.EndMS)
	}
	for _, p := range r.Series {
		m = math.Max(m, p.TMS+r.BucketMS)
	}
	if m <= 0 {
		m = 1000
	}
	return timeAxis{maxMS: m}
}

// svgBuilder writes SVG markup; every text goes through esc.
type svgBuilder struct{ b strings.Builder }

func (s *svgBuilder) f(format string, a ...any) { fmt.Fprintf(&s.b, format, a...) }

func esc(s string) string { return template.HTMLEscapeString(s) }

func num(v float64) string { return strconv.FormatFloat(v, 'f', 1, 64) }

// frame draws the background: phases shaded and labelled, the y grid with tick labels,
// the time axis, and the fault windows as labelled vertical lines.
func frame(s *svgBuilder, r *Report, ax timeAxis, title, yLabel string, yTicks []float64, yMax float64, yFmt func(float64) string) {
	s.f(`<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 %d %d" role="img" aria-label="%s">`, chartW, chartH, esc(title))
	s.f(`<title>%s</title>`, esc(title))
	s.f(`<rect x="0" y="0" width="%d" height="%d" fill="#ffffff"/>`, chartW, chartH)
	for i, p := range r.Phases {
		x0, x1 := ax.x(p.StartMS), ax.x(p.EndMS)
		fill := "#f3f4f6"
		if i%2 == 1 {
			fill = "#e0e7ff"
		}
		if r.faulted(p) {
			fill = "#fee2e2"
		}
		s.f(`<rect class="phase" x="%s" y="%d" width="%s" height="%d" fill="%s" fill-opacity="0.6"/>`, num(x0), chartTop, num(math.Max(0, x1-x0)), plotH, fill)
		s.f(`<text x="%s" y="%d" font-size="11" fill="%s" font-weight="600">%s</text>`, num(x0+4), chartTop-6, colorText, esc(p.Name))
		if i > 0 {
			s.f(`<line x1="%s" y1="%d" x2="%s" y2="%d" stroke="%s" stroke-width="1"/>`, num(x0), chartTop-18, num(x0), chartTop+plotH, colorAxis)
		}
	}
	for _, v := range yTicks {
		y := yPos(v, yMax)
		s.f(`<line x1="%d" y1="%s" x2="%d" y2="%s" stroke="%s" stroke-width="1"/>`, chartLeft, num(y), chartLeft+plotW, num(y), colorGrid)
		s.f(`<text x="%d" y="%s" font-size="11" fill="%s" text-anchor="end">%s</text>`, chartLeft-6, num(y+4), colorAxis, esc(yFmt(v)))
	}
	step := niceStep(ax.maxMS/1000, 10)
	for t := 0.0; t <= ax.maxMS/1000+1e-9; t += step {
		x := ax.x(t * 1000)
		s.f(`<line x1="%s" y1="%d" x2="%s" y2="%d" stroke="%s"/>`, num(x), chartTop+plotH, num(x), chartTop+plotH+4, colorAxis)
		s.f(`<text x="%s" y="%d" font-size="11" fill="%s" text-anchor="middle">%ss</text>`, num(x), chartTop+plotH+16, colorAxis, strconv.FormatFloat(t, 'f', -1, 64))
	}
	s.f(`<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="%s"/>`, chartLeft, chartTop+plotH, chartLeft+plotW, chartTop+plotH, colorAxis)
	s.f(`<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="%s"/>`, chartLeft, chartTop, chartLeft, chartTop+plotH, colorAxis)
	s.f(`<text x="%d" y="%d" font-size="11" fill="%s" text-anchor="middle">time since start (s)</text>`, chartLeft+plotW/2, chartH-6, colorAxis)
	s.f(`<text transform="translate(14 %d) rotate(-90)" font-size="11" fill="%s" text-anchor="middle">%s</text>`, chartTop+plotH/2, colorAxis, esc(yLabel))
}

// faultMarks draws each fault's start and end as dashed red lines with labels; drawn
// last so they sit on top of the data.
func faultMarks(s *svgBuilder, r *Report, ax timeAxis) {
	for i, f := range r.Faults {
		x0, x1 := ax.x(f.StartMS), ax.x(f.EndMS)
		ly := chartTop + 12 + 13*(i%4)
		for _, x := range []float64{x0, x1} {
			s.f(`<line class="fault" x1="%s" y1="%d" x2="%s" y2="%d" stroke="%s" stroke-width="1.5" stroke-dasharray="5 3"/>`, num(x), chartTop, num(x), chartTop+plotH, colorFail)
		}
		s.f(`<text x="%s" y="%d" font-size="11" fill="%s" font-weight="600" stroke="#ffffff" stroke-width="3" paint-order="stroke">▶ %s %s</text>`, num(x0+3), ly, colorFail, esc(f.Upstream), esc(f.Kind))
		s.f(`<text x="%s" y="%d" font-size="11" fill="%s" text-anchor="end" stroke="#ffffff" stroke-width="3" paint-order="stroke">end ◀</text>`, num(x1-3), ly, colorFail)
	}
}

func yPos(v, yMax float64) float64 {
	return chartTop + plotH - v/yMax*plotH
}

// niceStep is a 1, 2 or 5 × 10^n step that splits span into at most about n parts.
func niceStep(span float64, n int) float64 {
	if span <= 0 {
		return 1
	}
	raw := span / float64(n)
	mag := math.Pow(10, math.Floor(math.Log10(raw)))
	for _, m := range []float64{1, 2, 5, 10} {
		if raw <= m*mag {
			return m * mag
		}
	}
	return 10 * mag
}

func ticks(yMax float64, step float64) []float64 {
	var out []float64
	for v := 0.0; v <= yMax+step/1e6; v += step {
		out = append(out, v)
	}
	return out
}

// linePath is an SVG path through the points, broken where a value is missing.
func linePath(r *Report, ax timeAxis, val func(Point) (float64, bool), yMax float64) string {
	var b strings.Builder
	pen := false
	for _, p := range r.Series {
		v, ok := val(p)
		if !ok {
			pen = false
			continue
		}
		cmd := "L"
		if !pen {
			cmd = "M"
		}
		fmt.Fprintf(&b, "%s%s %s ", cmd, num(ax.x(p.TMS+r.BucketMS/2)), num(yPos(math.Min(v, yMax), yMax)))
		pen = true
	}
	return strings.TrimSpace(b.String())
}

// successChart plots the share of OK requests per bucket.
func successChart(r *Report) chart {
	ax := newTimeAxis(r)
	var s svgBuilder
	title := "Success rate"
	frame(&s, r, ax, title, "success rate (%)", []float64{0, 0.25, 0.5, 0.75, 1}, 1, func(v float64) string {
		return strconv.FormatFloat(v*100, 'f', 0, 64) + "%"
	})
	val := func(p Point) (float64, bool) { return float64(p.SuccessRate), p.SuccessRate.Valid() }
	if d := linePath(r, ax, val, 1); d != "" {
		s.f(`<path class="series" d="%s" fill="none" stroke="%s" stroke-width="2.5" stroke-linejoin="round"/>`, d, colorOK)
	}
	for _, p := range r.Series {
		if p.SuccessRate.Valid() && float64(p.SuccessRate) < 1 {
			s.f(`<circle cx="%s" cy="%s" r="2.5" fill="%s"/>`, num(ax.x(p.TMS+r.BucketMS/2)), num(yPos(float64(p.SuccessRate), 1)), colorFail)
		}
	}
	faultMarks(&s, r, ax)
	s.f(`</svg>`)
	return chart{Title: title, SVG: template.HTML(s.b.String()), Legend: []legendItem{{"OK / scheduled", colorOK}, {"below 100%", colorFail}}}
}

// latencyChart plots p99 latency per bucket.
func latencyChart(r *Report) chart {
	ax := newTimeAxis(r)
	maxV := 0.0
	for _, p := range r.Series {
		if p.Requests > 0 {
			maxV = math.Max(maxV, p.P99MS)
		}
	}
	step := niceStep(math.Max(maxV, 1), 4)
	yMax := math.Ceil(math.Max(maxV, 1)/step) * step
	var s svgBuilder
	title := "p99 latency"
	frame(&s, r, ax, title, "p99 latency", ticks(yMax, step), yMax, fmtTick)
	val := func(p Point) (float64, bool) { return p.P99MS, p.Requests > 0 }
	if d := linePath(r, ax, val, yMax); d != "" {
		s.f(`<path class="series" d="%s" fill="none" stroke="%s" stroke-width="2.5" stroke-linejoin="round"/>`, d, colorP99)
	}
	faultMarks(&s, r, ax)
	s.f(`</svg>`)
	return chart{Title: title, SVG: template.HTML(s.b.String()), Legend: []legendItem{{"p99 latency per bucket (from scheduled time)", colorP99}}}
}

// upstreamColors gives each upstream a stable colour: primary blue, secondary amber,
// the others from the palette in name order.
func upstreamColors(r *Report) ([]string, map[string]string) {
	seen := map[string]bool{}
	for _, p := range r.Series {
		for k := range p.ServedBy {
			seen[k] = true
		}
	}
	names := sortedKeys(seen)
	colors := map[string]string{}
	i := 0
	for _, n := range names {
		switch n {
		case "primary":
			colors[n] = "#2563eb"
		case "secondary":
			colors[n] = "#f59e0b"
		case "":
			colors[n] = colorUnknown
		default:
			colors[n] = upstreamPalette[i%len(upstreamPalette)]
			i++
		}
	}
	// primary and secondary stack at the bottom, in that order.
	ordered := make([]string, 0, len(names))
	for _, n := range []string{"primary", "secondary"} {
		if seen[n] {
			ordered = append(ordered, n)
		}
	}
	for _, n := range names {
		if n != "primary" && n != "secondary" {
			ordered = append(ordered, n)
		}
	}
	return ordered, colors
}

// servedByChart stacks, per bucket, the OK requests by the upstream that served them
// and the failed requests on top.
func servedByChart(r *Report) chart {
	ax := newTimeAxis(r)
	names, colors := upstreamColors(r)
	maxV := 0
	for _, p := range r.Series {
		maxV = max(maxV, p.Requests)
	}
	step := niceStep(math.Max(float64(maxV), 1), 4)
	step = math.Max(1, math.Round(step))
	yMax := math.Ceil(math.Max(float64(maxV), 1)/step) * step
	var s svgBuilder
	title := "Served by"
	frame(&s, r, ax, title, "requests per "+fmtMS(r.BucketMS), ticks(yMax, step), yMax, func(v float64) string {
		return strconv.FormatFloat(v, 'f', 0, 64)
	})
	bw := math.Max(1, ax.x(r.BucketMS)-ax.x(0)-1)
	for _, p := range r.Series {
		x := ax.x(p.TMS) + 0.5
		base := 0
		bar := func(n int, color, label string) {
			if n <= 0 {
				return
			}
			y0, y1 := yPos(float64(base+n), yMax), yPos(float64(base), yMax)
			s.f(`<rect class="bar" x="%s" y="%s" width="%s" height="%s" fill="%s"><title>%s: %d at %s</title></rect>`,
				num(x), num(y0), num(bw), num(y1-y0), color, esc(label), n, fmtMS(p.TMS))
			base += n
		}
		served := 0
		for _, n := range names {
			bar(p.ServedBy[n], colors[n], upstreamLabel(n))
			served += p.ServedBy[n]
		}
		bar(p.OK-served, colorUnknown, "ok, upstream unknown")
		bar(p.Requests-max(p.OK, served), colorFail, "failed")
	}
	faultMarks(&s, r, ax)
	s.f(`</svg>`)
	legend := make([]legendItem, 0, len(names)+1)
	for _, n := range names {
		legend = append(legend, legendItem{upstreamLabel(n), colors[n]})
	}
	legend = append(legend, legendItem{"failed", colorFail})
	return chart{Title: title, SVG: template.HTML(s.b.String()), Legend: legend}
}

func upstreamLabel(n string) string {
	if n == "" {
		return "(unknown)"
	}
	return n
}

// fmtTick formats a latency axis tick: "0", "250ms", "1.5s", "10s".
func fmtTick(v float64) string {
	switch {
	case v == 0:
		return "0"
	case v < 1000:
		return strconv.FormatFloat(v, 'f', -1, 64) + "ms"
	}
	return strconv.FormatFloat(v/1000, 'f', -1, 64) + "s"
}
