// Package tmpl is the template data and rendering the harness shares between the SUT's
// command, env and URL and the driver's request path, headers and body: Go text/template
// over Data ({{ .Upstreams.primary.URL }}, {{ .SUT.Addr }}, {{ .Scenario }}), and for
// driver requests Request ({{ .ID }}, {{ .Seq }} too). A key that does not exist is an
// error, never "<no value>". It imports nothing of the project.
package tmpl
