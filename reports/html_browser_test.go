//go:build unix

package reports

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// chromiumTimeout bounds one headless Chromium run.
const chromiumTimeout = 60 * time.Second

// findChromium returns the Chromium binary, or "" when none is installed.
func findChromium() string {
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "/usr/bin/chromium"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// runChromium runs headless Chromium with args on a file:// page, bounded by
// chromiumTimeout; the whole process group is killed when it returns.
func runChromium(t *testing.T, bin string, args ...string) (stdout, stderr string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), chromiumTimeout)
	defer cancel()
	base := []string{"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--disable-dev-shm-usage", "--user-data-dir=" + t.TempDir(), "--enable-logging=stderr", "--v=0"}
	cmd := exec.CommandContext(ctx, bin, append(base, args...)...)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	cmd.WaitDelay = 5 * time.Second
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	if cmd.Process != nil {
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) // helpers left behind by the browser
	}
	if ctx.Err() != nil {
		t.Fatalf("chromium did not finish within %s; stderr:\n%s", chromiumTimeout, errb.String())
	}
	if err != nil {
		t.Fatalf("chromium %v failed: %v\nstderr:\n%s", args, err, errb.String())
	}
	return out.String(), errb.String()
}

// TestHTMLInChromium opens the rendered HTML report in headless Chromium: the page loads
// without console errors, its DOM holds the SVG charts and the tables, no hostile markup
// turned into elements, and the screenshot is a real rendering (not blank).
func TestHTMLInChromium(t *testing.T) {
	bin := findChromium()
	if bin == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("chromium not found: the HTML rendering check must run in CI (install Debian's chromium)")
		}
		t.Skip("chromium not found: HTML rendering check SKIPPED (install Debian's chromium to run it)")
	}
	dir := t.TempDir()
	if _, err := WriteAll(dir, fixtureReports(), WithGeneratedAt(fixtureGenerated)); err != nil {
		t.Fatal(err)
	}
	page := "file://" + filepath.Join(dir, FileHTML)

	dom, stderr := runChromium(t, bin, "--dump-dom", page)
	for _, bad := range []string{"Uncaught", "CONSOLE(", "console.error"} {
		if strings.Contains(stderr, bad) {
			t.Errorf("chromium reported %q while loading the page:\n%s", bad, stderr)
		}
	}
	if n := strings.Count(dom, `<svg xmlns="http://www.w3.org/2000/svg" class="chart"`); n != 6 {
		t.Errorf("DOM holds %d chart SVGs, want 6 (3 per scenario)", n)
	}
	for _, want := range []string{`<path class="series"`, `<rect class="bar"`, `<line class="fault"`, `id="verdicts"`,
		`class="slos"`, `class="phases"`, `class="faults"`, `<pre class="log">`, "time since start (s)", "p99 latency"} {
		if !strings.Contains(dom, want) {
			t.Errorf("DOM lacks %q", want)
		}
	}
	if strings.Contains(dom, "<script") || strings.Contains(dom, "<img") {
		t.Error("hostile markup from logs or errors became DOM elements")
	}
	if !strings.Contains(dom, "&lt;script&gt;") {
		t.Error("the escaped hostile text is missing from the DOM")
	}

	shot := filepath.Join(dir, "shot.png")
	runChromium(t, bin, "--hide-scrollbars", "--screenshot="+shot, "--window-size=1280,2000", page)
	f, err := os.Open(shot)
	if err != nil {
		t.Fatalf("no screenshot: %v", err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatalf("screenshot does not decode as PNG: %v", err)
	}
	if b := img.Bounds(); b.Dx() != 1280 || b.Dy() != 2000 {
		t.Errorf("screenshot is %v, want 1280x2000", b)
	}
	colors, nonWhite, red, green := inspect(img)
	if colors < 50 {
		t.Errorf("screenshot has %d distinct colours, want >= 50 (a blank or unstyled page?)", colors)
	}
	if frac := float64(nonWhite) / float64(img.Bounds().Dx()*img.Bounds().Dy()); frac < 0.1 {
		t.Errorf("only %.1f%% of the screenshot is not white/background", frac*100)
	}
	if red < 500 || green < 500 {
		t.Errorf("screenshot has %d red-ish and %d green-ish pixels: verdict colours or charts missing", red, green)
	}
	if out := os.Getenv("LLMCHAOS_SCREENSHOT"); out != "" {
		b, _ := os.ReadFile(shot)
		if err := os.WriteFile(out, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// inspect counts distinct colours, pixels that are not near-white, and strongly red and
// green pixels (the fail and pass colours, the success line, the failed bars).
func inspect(img image.Image) (colors, nonWhite, red, green int) {
	seen := map[color.RGBA]bool{}
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bl, _ := img.At(x, y).RGBA()
			c := color.RGBA{uint8(r >> 8), uint8(g >> 8), uint8(bl >> 8), 255}
			seen[c] = true
			if c.R < 240 || c.G < 240 || c.B < 240 {
				nonWhite++
			}
			if c.R > 180 && c.G < 80 && c.B < 80 {
				red++
			}
			if c.G > 120 && c.R < 80 && c.B < 100 {
				green++
			}
		}
	}
	return len(seen), nonWhite, red, green
}
