package reports

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strconv"
	"testing"
)

var update = flag.Bool("update", false, "rewrite testdata/golden from the current output")

// golden compares got with testdata/golden/name, or rewrites it under -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", "golden", name)
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read golden %s: %v (run go test ./reports -run %s -update to create it)", path, err, t.Name())
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from its golden file; run `go test ./reports -run %s -update` and review the diff.\n%s",
			name, t.Name(), firstDiff(want, got))
	}
}

// firstDiff shows the first differing line.
func firstDiff(want, got []byte) string {
	wl, gl := bytes.Split(want, []byte("\n")), bytes.Split(got, []byte("\n"))
	for i := 0; i < max(len(wl), len(gl)); i++ {
		var w, g []byte
		if i < len(wl) {
			w = wl[i]
		}
		if i < len(gl) {
			g = gl[i]
		}
		if !bytes.Equal(w, g) {
			return "line " + strconv.Itoa(i+1) + ":\n want: " + string(w) + "\n  got: " + string(g)
		}
	}
	return "(no line differs)"
}

// TestGoldenWriteAll renders every file WriteAll writes from the fixed fixtures and
// compares each with its golden file.
func TestGoldenWriteAll(t *testing.T) {
	dir := t.TempDir()
	paths, err := WriteAll(dir, fixtureReports(), WithGeneratedAt(fixtureGenerated))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"provider-dropout.json", "naive-client.json", FileSummary, FileHTML, FileMarkdown, FileJUnit}
	if len(paths) != len(want) {
		t.Fatalf("WriteAll wrote %v, want %v", paths, want)
	}
	for i, p := range paths {
		if filepath.Base(p) != want[i] {
			t.Errorf("file %d is %s, want %s", i, filepath.Base(p), want[i])
		}
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		golden(t, filepath.Base(p), b)
	}
}

// TestGoldenDiff renders the diff of the fixtures (the passing run as baseline, the
// failing one renamed to it as the new run).
func TestGoldenDiff(t *testing.T) {
	reps := fixtureReports()
	regressed := *reps[1]
	regressed.Scenario = reps[0].Scenario
	d := Diff([]*Report{reps[0]}, []*Report{&regressed}, DefaultThresholds())
	var text, md bytes.Buffer
	if err := d.WriteText(&text); err != nil {
		t.Fatal(err)
	}
	if err := d.WriteMarkdown(&md); err != nil {
		t.Fatal(err)
	}
	golden(t, "diff.txt", text.Bytes())
	golden(t, "diff.md", md.Bytes())
}
