package reports

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzReportJSON: any bytes either decode as a report or give an error, never a panic; a
// decoded report renders in every format and through WriteAll without an error or a raw
// control character, and a diff of it against itself finds no regression. The seeds are
// the golden reports, the fixtures, a hostile report, a could-not-run one and broken
// variants; go test runs them as a normal test (make test), go test -fuzz explores.
func FuzzReportJSON(f *testing.F) {
	golden, _ := filepath.Glob(filepath.Join("testdata", "golden", "*.json"))
	for _, p := range golden {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b)
		}
	}
	for _, r := range append(fixtureReports(), hostileReport()) {
		var b bytes.Buffer
		if err := r.WriteJSON(&b); err != nil {
			f.Fatal(err)
		}
		f.Add(b.Bytes())
		f.Add(bytes.Replace(b.Bytes(), []byte(SchemaReport), []byte("llmchaos.report/v99"), 1))
		f.Add(b.Bytes()[:b.Len()/2])
	}
	f.Add([]byte(`{"schema":"llmchaos.report/v1","scenario":"x","phases":[{"name":"p","availability":null}],"metrics":{"ttf_ms":-1,"ttf_state":"measured"}}`))
	f.Add([]byte(`{"schema":"llmchaos.report/v1","series":[{"t_ms":1e300,"requests":-5}],"bucket_ms":0,"duration_ms":-1}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := DecodeReport(data)
		if err != nil {
			return
		}
		reps := []*Report{r}
		for _, name := range []string{"markdown", "html", "junit", "json"} {
			rd, _ := RendererFor(name)
			var out bytes.Buffer
			if err := rd.Render(&out, reps, nil); err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			if i := strings.IndexAny(out.String(), "\x1b\x07\x00"); i >= 0 {
				t.Fatalf("%s holds a raw control character at %d", name, i)
			}
		}
		if _, err := WriteAll(t.TempDir(), reps, WithGeneratedAt(fixtureGenerated)); err != nil {
			t.Fatalf("WriteAll: %v", err)
		}
		if d := Diff(reps, reps, DefaultThresholds()); d.Regressed() {
			t.Fatalf("a report diffed against itself regressed: %+v", d.Regressions())
		}
	})
}
