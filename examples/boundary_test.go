// Package examples_test holds the check that keeps the reference apps independent of the
// project: they are driven only from outside, so they import nothing of it.
package examples_test

import (
	"bufio"
	"bytes"
	"fmt"
	"os/exec"
	"strings"
	"testing"
)

// rootModule is the project's module; the apps must not depend on any package of it.
const rootModule = "github.com/llmchaos/llmchaos"

// apps are the reference apps' packages, relative to this module's root.
var apps = []string{"./gateway", "./naive"}

func TestAppsImportNothingOfTheProject(t *testing.T) {
	for _, app := range apps {
		got, err := projectDeps(app)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) > 0 {
			t.Errorf("%s depends on the project's packages %v: the reference apps must import nothing of module %s (only their _test files may use the mocks)",
				app, got, rootModule)
		}
	}
}

// TestBoundaryCheckSeesAnImportOfTheProject is the negative control: the shared test
// helper internal/apptest imports the mocks on purpose, and the same check must name them.
func TestBoundaryCheckSeesAnImportOfTheProject(t *testing.T) {
	got, err := projectDeps("./internal/apptest")
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]bool{rootModule + "/mocks/control": false, rootModule + "/mocks/llm": false}
	for _, p := range got {
		if _, ok := want[p]; ok {
			want[p] = true
		}
	}
	for p, seen := range want {
		if !seen {
			t.Errorf("projectDeps(./internal/apptest) = %v, want it to include %s", got, p)
		}
	}
}

// projectDeps returns the packages of the root module that pkg depends on (its non-test
// imports, transitively), as `go list -deps` resolves them in this module.
func projectDeps(pkg string) ([]string, error) {
	cmd := exec.Command("go", "list", "-deps", "-f", "{{with .Module}}{{.Path}}{{end}} {{.ImportPath}}", pkg)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("go list -deps %s: %w\n%s", pkg, err, stderr.String())
	}
	var deps []string
	own := 0 // packages of this module: at least pkg itself, or go list listed nothing useful
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		module, path, ok := strings.Cut(sc.Text(), " ")
		if !ok {
			return nil, fmt.Errorf("go list -deps %s: unexpected line %q", pkg, sc.Text())
		}
		switch module {
		case rootModule:
			deps = append(deps, path)
		case rootModule + "/examples":
			own++
		}
	}
	if own == 0 {
		return nil, fmt.Errorf("go list -deps %s did not list the package itself:\n%s", pkg, out)
	}
	return deps, nil
}
