package reports

import (
	"encoding/xml"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestRedactorPatterns(t *testing.T) {
	r := NewRedactor("literal-secret-123", "short")
	cases := map[string]string{
		"Authorization: Bearer abc.def-ghi":             "Authorization: Bearer [REDACTED]",
		`{"authorization":"Basic dXNlcjpwYXNz"}`:        `{"authorization":"Basic [REDACTED]"}`,
		"x-api-key: k-12345":                            "x-api-key: [REDACTED]",
		"X-Goog-Api-Key=abcdef":                         "X-Goog-Api-Key=[REDACTED]",
		"OPENAI_API_KEY=whatever":                       "OPENAI_API_KEY=[REDACTED]",
		"got sk-proj-AbCdEf123456789 back":              "got [REDACTED] back",
		"key sk-ant-api03-xyzXYZ0123456789-_ok":         "key [REDACTED]",
		"GET /v1/models?key=AIzaSyXYZ&alt=json":         "GET /v1/models?key=[REDACTED]&alt=json",
		"token bearer eyJhbGciOi.x.y here":              "token bearer [REDACTED] here",
		"value literal-secret-123 inside":               "value [REDACTED] inside",
		"short stays, sk-short too, task-123456789 too": "short stays, sk-short too, task-123456789 too",
		"":                                    "",
		"nothing secret about max_tokens=256": "nothing secret about max_tokens=256",
	}
	for in, want := range cases {
		if got := r.Redact(in); got != want {
			t.Errorf("Redact(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestPlantedSecretsAppearInNoOutput writes every format from fixtures whose log lines,
// sample errors and event details hold an sk-ant key, a bearer token and a literal secret
// passed with WithSecrets: none of them may survive anywhere.
func TestPlantedSecretsAppearInNoOutput(t *testing.T) {
	dir := t.TempDir()
	paths, err := WriteAll(dir, fixtureReports(), WithGeneratedAt(fixtureGenerated))
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		for _, secret := range []string{plantedKey, plantedBearer, plantedLiteral, "PLANTED"} {
			if strings.Contains(string(b), secret) {
				t.Errorf("%s leaks %q", filepath.Base(p), secret)
			}
		}
		if !strings.Contains(string(b), Redacted) && filepath.Base(p) != FileSummary && filepath.Base(p) != "provider-dropout.json" {
			t.Errorf("%s shows no %s: were the secret-holding lines dropped instead of redacted?", filepath.Base(p), Redacted)
		}
	}
}

// TestUntrustedTextIsEscaped: hostile markup from the app's log and errors stays text.
func TestUntrustedTextIsEscaped(t *testing.T) {
	dir := t.TempDir()
	if _, err := WriteAll(dir, fixtureReports(), WithGeneratedAt(fixtureGenerated)); err != nil {
		t.Fatal(err)
	}
	read := func(name string) string {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	html := read(FileHTML)
	for _, bad := range []string{"<script", "<img", "onerror=alert(1)>", "http://", "https://", "@import", "url("} {
		if bad == "http://" {
			// the only URL allowed is the SVG namespace
			html = strings.ReplaceAll(html, `xmlns="http://www.w3.org/2000/svg"`, "")
		}
		if strings.Contains(html, bad) {
			t.Errorf("index.html contains %q (unescaped markup or a network resource)", bad)
		}
	}
	if !strings.Contains(html, "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;") {
		t.Error("index.html lacks the escaped hostile text")
	}
	md := read(FileMarkdown)
	if strings.Contains(md, "<script") || strings.Contains(md, "<img") {
		t.Error("report.md lets hostile HTML through")
	}
	for _, line := range strings.Split(md, "\n") {
		if strings.HasPrefix(line, "| ") && strings.Contains(line, "rm -rf") && !strings.Contains(line, `\|`) {
			t.Errorf("a table row holding a pipe from untrusted text is not escaped: %s", line)
		}
	}
	var doc struct {
		Suites []struct {
			Name  string `xml:"name,attr"`
			Cases []struct {
				Name    string `xml:"name,attr"`
				Failure *struct {
					Message string `xml:"message,attr"`
				} `xml:"failure"`
			} `xml:"testcase"`
			Out string `xml:"system-out"`
		} `xml:"testsuite"`
	}
	if err := xml.Unmarshal([]byte(read(FileJUnit)), &doc); err != nil {
		t.Fatalf("junit.xml is not well-formed: %v", err)
	}
	if len(doc.Suites) != 2 || doc.Suites[1].Name != "naive-client" || len(doc.Suites[1].Cases) != 5 {
		t.Fatalf("junit suites = %+v", doc.Suites)
	}
	c := doc.Suites[1].Cases[2]
	if c.Name != "availability(outage) >= 0.95" || c.Failure == nil || !strings.Contains(c.Failure.Message, `observed 0.000: 0 of 160`) ||
		!strings.Contains(c.Failure.Message, `<script>alert("x")`) {
		t.Errorf("junit case = %+v (the failure must carry observed value and reason, decoded intact)", c)
	}
	if doc.Suites[0].Cases[0].Failure != nil {
		t.Error("a passing SLO has a <failure>")
	}
	if !strings.Contains(doc.Suites[1].Out, "[REDACTED]") {
		t.Error("system-out lacks the redacted log")
	}
}
