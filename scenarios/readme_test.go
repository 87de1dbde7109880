package scenarios

import (
	"flag"
	"fmt"
	"os"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the README's catalog table from the scenario files")

const (
	tableStart = "<!-- catalog:start -->"
	tableEnd   = "<!-- catalog:end -->"
)

// TestREADMECatalogTable keeps the README's scenario × app × expected verdict table equal
// to the files' expect blocks (which TestCatalog checks against real runs). Run with
// -update to rewrite it.
func TestREADMECatalogTable(t *testing.T) {
	files, err := LoadDir(".")
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	b.WriteString("| scenario | what it models | gateway | naive |\n|---|---|---|---|\n")
	for _, f := range files {
		what, _, _ := strings.Cut(f.Scenario.Description, ". ")
		fmt.Fprintf(&b, "| [%s](scenarios/%s.yaml) | %s | %s | %s |\n", f.Scenario.Name, f.Scenario.Name,
			strings.TrimSuffix(what, "."), verdictCell(f.Expect["gateway"]), verdictCell(f.Expect["naive"]))
	}
	want := b.String()
	readme, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	s := string(readme)
	i, j := strings.Index(s, tableStart), strings.Index(s, tableEnd)
	if i < 0 || j < i {
		t.Fatalf("README.md has no %s … %s block", tableStart, tableEnd)
	}
	got := strings.TrimPrefix(s[i+len(tableStart):j], "\n")
	if got == want {
		return
	}
	if !*update {
		t.Fatalf("README.md's catalog table is out of date; run: go test ./scenarios -run TestREADMECatalogTable -update\nwant:\n%s", want)
	}
	s = s[:i+len(tableStart)] + "\n" + want + s[j:]
	if err := os.WriteFile("../README.md", []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
}

func verdictCell(e Expectation) string {
	if e.Pass {
		return "pass"
	}
	if len(e.Breached) == 0 {
		return "**fail**"
	}
	return "**fail**: `" + strings.Join(e.Breached, "`, `") + "`"
}
