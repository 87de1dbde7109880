package scenarios

import (
	"reflect"
	"sort"
	"strings"
)

// sections maps the YAML types' names (without the leading y) to where they sit in a file,
// for error messages.
var sections = map[string]struct {
	path string
	typ  reflect.Type
}{
	"Scenario": {"", reflect.TypeFor[yScenario]()},
	"Upstream": {"upstreams.<name>", reflect.TypeFor[yUpstream]()},
	"SUT":      {"sut", reflect.TypeFor[ySUT]()},
	"Ready":    {"sut.ready", reflect.TypeFor[yReady]()},
	"Load":     {"load", reflect.TypeFor[yLoad]()},
	"Request":  {"load.request", reflect.TypeFor[yRequest]()},
	"Success":  {"load.request.success", reflect.TypeFor[ySuccess]()},
	"Replay":   {"replay", reflect.TypeFor[yReplay]()},
	"Phase":    {"timeline[]", reflect.TypeFor[yPhase]()},
	"Expect":   {"expect.<app>", reflect.TypeFor[yExpect]()},
}

func sectionName(typeSuffix string) string { return sections[typeSuffix].path }

// allowedFields lists the YAML keys a section takes.
func allowedFields(typeSuffix string) string {
	s, ok := sections[typeSuffix]
	if !ok {
		return "see the README"
	}
	var keys []string
	for i := 0; i < s.typ.NumField(); i++ {
		if k, _, _ := strings.Cut(s.typ.Field(i).Tag.Get("yaml"), ","); k != "" && k != "-" {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	return strings.Join(keys, ", ")
}
