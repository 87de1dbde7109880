package harness

import (
	"fmt"
	"sort"
	"strings"

	"github.com/llmchaos/llmchaos/harness/load"
	"github.com/llmchaos/llmchaos/harness/tmpl"
)

// validationData is what templates see when a scenario is validated: its upstreams with
// placeholder URLs and a placeholder app address, the shape a run gives them, so a
// template naming a missing field, upstream or function fails at validation, not mid-run.
func validationData(sc Scenario) tmpl.Data {
	ups := make(map[string]tmpl.Upstream, len(sc.Upstreams))
	for _, u := range sc.Upstreams {
		ups[u.Name] = tmpl.Upstream{Name: u.Name, Kind: string(u.Kind), URL: "http://127.0.0.1:1"}
	}
	return tmpl.Data{Scenario: sc.Name, Upstreams: ups, SUT: tmpl.SUT{Addr: "127.0.0.1:1"}}
}

// checkTemplate renders text once over data (tmpl.Data or tmpl.Request): it must parse,
// stay within the template limits (tmpl.MaxRenderedBytes, tmpl.MaxRangeCount) and name
// only what data has. It returns the rendered value.
func checkTemplate(field, text string, data any) (string, error) {
	tp, err := tmpl.Parse(field, text)
	if err != nil {
		return "", bad(field, "%v", err)
	}
	s, err := tp.Render(data)
	if err != nil {
		return "", bad(field, "%v", err)
	}
	return s, nil
}

// validateSUTTemplates renders the app's command, env and URL, and checks what exec
// cannot pass on: a NUL in an argument or an env entry, an env name that is empty or
// holds '='.
func validateSUTTemplates(s SUTSpec, data tmpl.Data) error {
	for i, a := range s.Command {
		field := fmt.Sprintf("sut.command[%d]", i)
		v, err := checkTemplate(field, a, data)
		if err != nil {
			return err
		}
		if strings.ContainsRune(a+v, 0) {
			return bad(field, "holds a NUL byte, which no program can receive as an argument")
		}
	}
	for _, k := range sortedKeys(s.Env) {
		field := "sut.env." + k
		if k == "" || strings.ContainsAny(k, "=\x00") {
			return bad(field, "env name %q is not usable: a name must be non-empty, without '=' or NUL", k)
		}
		v, err := checkTemplate(field, s.Env[k], data)
		if err != nil {
			return err
		}
		if strings.ContainsRune(s.Env[k]+v, 0) {
			return bad(field, "value holds a NUL byte, which no environment variable can hold")
		}
	}
	_, err := checkTemplate("sut.url", s.URL, data)
	return err
}

// validateRequestTemplates renders the driver's path, headers and body once, as the
// first request would see them.
func validateRequestTemplates(r load.Request, data tmpl.Data) error {
	req := &tmpl.Request{Data: data, ID: data.Scenario + "-0", Seq: 0}
	if _, err := checkTemplate("load.request.path", r.Path, req); err != nil {
		return err
	}
	for _, k := range sortedKeys(r.Headers) {
		if _, err := checkTemplate("load.request.headers."+k, r.Headers[k], req); err != nil {
			return err
		}
	}
	_, err := checkTemplate("load.request.body", r.Body, req)
	return err
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
