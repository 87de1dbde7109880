// Package starter writes a starter set of scenario files for an app of one's own: the
// headline failures (provider dropout, rate-limit storm, stream truncation, telemetry
// overload, and a store outage when asked), with the app's command and the env vars
// through which it reads each upstream's URL filled in. `llmchaos init` is its CLI.
package starter

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"text/template"
)

// SchemaURL is the published JSON Schema the starter files name on their first line.
const SchemaURL = "https://raw.githubusercontent.com/llmchaos/llmchaos/main/schema/scenario.schema.json"

// Defaults of a Config.
const (
	DefaultReadyPath   = "/healthz"
	DefaultRequestPath = "/v1/chat/completions"
)

// Upstreams are the upstream names a binding may name, with the kind each is declared as.
var upstreamKinds = map[string]string{"primary": "openai", "secondary": "anthropic", "collector": "otlp", "store": "store"}

// UpstreamNames lists the names a Binding's Upstream may take.
func UpstreamNames() []string { return []string{"primary", "secondary", "collector", "store"} }

// Binding is what one of the app's env vars carries: an upstream's proxy URL with a
// Suffix (Upstream set), or the free loopback address picked for the app (Addr).
type Binding struct {
	Upstream string
	Suffix   string
	Addr     bool
}

// Config is the app a starter set is written for.
type Config struct {
	// AppCommand starts the app; a relative program path is relative to the directory
	// llmchaos init ran in (the files' sut.dir points back there).
	AppCommand []string
	// Env maps the app's env var names to what they carry.
	Env map[string]Binding
	// Store adds the store-outage scenario (it needs a binding of the store upstream).
	Store bool
	// ReadyPath is polled until the app answers (default DefaultReadyPath).
	ReadyPath string
	// RequestPath is where the driver sends OpenAI chat requests (default DefaultRequestPath).
	RequestPath string
}

// ParseBinding reads one --env flag: NAME=UPSTREAM[:SUFFIX] (OPENAI_BASE_URL=primary:/v1)
// or NAME=addr (the app's listen address, host:port).
func ParseBinding(s string) (string, Binding, error) {
	name, val, ok := strings.Cut(s, "=")
	if !ok || name == "" || val == "" {
		return "", Binding{}, fmt.Errorf("--env %q: want NAME=UPSTREAM[:SUFFIX] (e.g. OPENAI_BASE_URL=primary:/v1) or NAME=addr", s)
	}
	if val == "addr" {
		return name, Binding{Addr: true}, nil
	}
	up, suffix, _ := strings.Cut(val, ":")
	if _, ok := upstreamKinds[up]; !ok {
		return "", Binding{}, fmt.Errorf("--env %q: %q is not an upstream (%s) nor addr", s, up, strings.Join(UpstreamNames(), ", "))
	}
	return name, Binding{Upstream: up, Suffix: suffix}, nil
}

// Write writes the starter scenarios for c into dir (created if missing) and returns
// their paths. It refuses to overwrite a file, and needs the primary upstream bound.
func Write(dir string, c Config) ([]string, error) {
	if len(c.AppCommand) == 0 {
		return nil, errors.New("no app command: give the command that starts your app (--app-cmd)")
	}
	bound := c.bound()
	if !bound["primary"] {
		return nil, errors.New("no env var carries the primary upstream's URL: give one, e.g. --env OPENAI_BASE_URL=primary:/v1")
	}
	if c.Store && !bound["store"] {
		return nil, errors.New("a store outage needs the store upstream bound, e.g. --env HISTORY_URL=store")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("make %s: %w", dir, err)
	}
	data, err := c.templateData(dir)
	if err != nil {
		return nil, err
	}
	var paths []string
	for _, sc := range starters {
		if !sc.wanted(c, bound) {
			continue
		}
		path := filepath.Join(dir, sc.name+".yaml")
		if err := writeNew(path, sc, data); err != nil {
			return paths, err
		}
		paths = append(paths, path)
	}
	return paths, nil
}

func (c Config) bound() map[string]bool {
	out := map[string]bool{}
	for _, b := range c.Env {
		if b.Upstream != "" {
			out[b.Upstream] = true
		}
	}
	return out
}

// writeNew renders sc into path, which must not exist.
func writeNew(path string, sc starter, data tmplData) error {
	var b bytes.Buffer
	data.Scenario = sc
	if err := fileTemplate.Execute(&b, data); err != nil {
		return fmt.Errorf("render %s: %w", path, err)
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return fmt.Errorf("write %s: %w (llmchaos init does not overwrite files)", path, err)
	}
	if _, err := f.Write(b.Bytes()); err != nil {
		_ = f.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	return f.Close()
}

// tmplData is what the file template sees.
type tmplData struct {
	SchemaURL   string
	Command     string // a YAML flow list
	Dir         string // quoted
	Env         []envLine
	Upstreams   []upstreamLine
	ReadyPath   string
	RequestPath string
	Scenario    starter
}

type envLine struct{ Name, Value string }
type upstreamLine struct{ Name, Kind string }

func (c Config) templateData(dir string) (tmplData, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return tmplData{}, err
	}
	cwd, err := os.Getwd()
	if err != nil {
		return tmplData{}, err
	}
	rel, err := filepath.Rel(abs, cwd)
	if err != nil {
		rel = cwd
	}
	quoted := make([]string, len(c.AppCommand))
	for i, a := range c.AppCommand {
		quoted[i] = strconv.Quote(a)
	}
	d := tmplData{SchemaURL: SchemaURL, Command: "[" + strings.Join(quoted, ", ") + "]", Dir: strconv.Quote(filepath.ToSlash(rel)),
		ReadyPath: strconv.Quote(orDefault(c.ReadyPath, DefaultReadyPath)), RequestPath: strconv.Quote(orDefault(c.RequestPath, DefaultRequestPath))}
	names := make([]string, 0, len(c.Env))
	for n := range c.Env {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		b := c.Env[n]
		v := "{{ .SUT.Addr }}"
		if !b.Addr {
			v = "{{ .Upstreams." + b.Upstream + ".URL }}" + b.Suffix
		}
		d.Env = append(d.Env, envLine{Name: n, Value: strconv.Quote(v)})
	}
	bound := c.bound()
	for _, n := range UpstreamNames() {
		if bound[n] {
			d.Upstreams = append(d.Upstreams, upstreamLine{Name: n, Kind: upstreamKinds[n]})
		}
	}
	return d, nil
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

var fileTemplate = template.Must(template.New("scenario").Parse(`# yaml-language-server: $schema={{ .SchemaURL }}
# Written by llmchaos init: a starting point. Tune the SLOs to what your users need.
name: {{ .Scenario.Name }}
description: {{ .Scenario.Description }}
labels: [starter]
seed: 1
upstreams:
{{- range .Upstreams }}
  {{ .Name }}: {kind: {{ .Kind }}}
{{- end }}
sut:
  command: {{ .Command }}
  dir: {{ .Dir }}
  env:
{{- range .Env }}
    {{ .Name }}: {{ .Value }}
{{- end }}
  ready: {path: {{ .ReadyPath }}, timeout: 60s}
load:
  rate: 20/s
  timeout: 4s
  request:
    protocol: openai-chat
    path: {{ .RequestPath }}
    stream: true
timeline:
{{ .Scenario.Timeline -}}
slo:
{{- range .Scenario.SLOs }}
  - {{ . }}
{{- end }}
`))
