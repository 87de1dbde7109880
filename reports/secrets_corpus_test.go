package reports

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// TestSecretNamePolicy: variables whose names say they hold a credential (keys, passwords,
// credentials, private keys, certificates, DSNs, tokens) are secret; ordinary ones are not;
// a short value under a secret-looking name (MAX_TOKENS=256) does not blank ordinary text.
func TestSecretNamePolicy(t *testing.T) {
	secret := map[string]string{
		"OPENAI_KEY": "sk-openai-value-1", "ANTHROPIC_KEY": "anthropic-value-2", "PRIVATE_KEY": "private-value-3",
		"DB_PASS": "db-pass-value-4", "GCP_CREDENTIALS": "gcp-cred-value-5", "DATABASE_DSN": "postgres://u:p@h/db-6",
		"TLS_CERT": "cert-pem-value-7", "SMTP_PASSWD": "smtp-passwd-value-8", "GITHUB_TOKEN": "token-value-9",
		"CLIENT_SECRET": "client-secret-10", "X_AUTH": "x-auth-value-11", "ADMIN_PWD": "admin-pwd-value-12",
		"SESSION_COOKIE": "cookie-value-13", "access_key_id": "lower-case-14",
	}
	plain := map[string]string{
		"PATH": "/usr/local/bin:/usr/bin", "HOME": "/home/someone", "LISTEN_ADDR": "127.0.0.1:9000",
		"PRIMARY_URL": "http://127.0.0.1:1234", "LANG": "en_US.UTF-8", "MONKEY_BUSINESS_OK": "no-secret-here",
		// The shell's working directories: a path in every message that names a file.
		"PWD": "/work/some/project", "OLDPWD": "/home/someone/previous",
	}
	env := map[string]string{}
	for k, v := range secret {
		env[k] = v
	}
	for k, v := range plain {
		env[k] = v
	}
	got := Secrets(env, []string{"MAX_TOKENS=256"})
	for k, v := range secret {
		if !slices.Contains(got, v) {
			t.Errorf("%s=%s is not treated as secret", k, v)
		}
	}
	for k, v := range plain {
		if slices.Contains(got, v) {
			t.Errorf("%s=%s is treated as secret", k, v)
		}
	}
	if out := NewRedactor(got...).Redact("max_tokens 256, model x"); out != "max_tokens 256, model x" {
		t.Errorf("a short secret-named value blanks ordinary text: %q", out)
	}
}

// plantedShapes are credentials in the shapes the redactor must recognise without being
// told the value, one or more per format, as an app would log them. The shapes follow
// gitleaks' published rules (config/gitleaks.toml); the values are made up.
var plantedShapes = map[string]string{
	"aws access key":        "AKIAIOSFODNN7EXAMPLE",
	"aws temporary key":     "ASIAY34FZKBOKMUTVV7A",
	"github classic pat":    "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",
	"github oauth":          "gho_16C7e42F292c6912E7710c838347Ae178B4a",
	"github fine-grained":   "github_pat_11ABCDEFG0123456789abc_ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789ABCDEF",
	"slack bot":             "xoxb-1234567890123-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx",
	"slack user":            "xoxp-1234567890-1234567890-1234567890-abcdef0123456789abcdef0123456789",
	"google api key":        "AIzaSyDdI0hCZtE6vySjMm-WEfRq3CPzqKqqsHI",
	"anthropic key":         "sk-ant-api03-abcdefghijklmnopqrstuvwxyz0123456789-ABCDEFGHIJ_klmnopqrstuvwxyzAA",
	"openai project key":    "sk-proj-AbCdEf0123456789GhIjKl",
	"jwt":                   "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4ifQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c",
	"password=":             "password=correct-horse-battery",
	"db_pass:":              `"db_pass": "s3cr3t-value-xyz"`,
	"client_secret=":        "client_secret=AbCdEf0123456789",
	"private key block":     "-----BEGIN RSA PRIVATE KEY----- MIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo -----END RSA PRIVATE KEY-----",
	"dsn with a password":   "postgres://app:Sup3rS3cretPw@db.internal:5432/app",
	"bearer header":         "Authorization: Bearer abc.def-ghi_jkl",
	"api key query":         "GET /v1/models?key=AIzaSyXYZ0123&alt=json",
	"x-api-key header":      "x-api-key: k-1234567890",
	"token query parameter": "https://hooks.example/x?access_token=abcdef0123456789",
}

// secretPart is what must not survive of a planted line: the value after "=", ":" or
// "//app:", or the whole token.
func secretPart(line string) string {
	for _, sep := range []string{"Bearer ", "key=", "access_token=", "x-api-key: ", `"db_pass": "`, "password=", "client_secret=", "//app:"} {
		if _, after, ok := strings.Cut(line, sep); ok {
			return strings.TrimRight(strings.SplitN(after, "@", 2)[0], `"&`)
		}
	}
	if strings.HasPrefix(line, "-----BEGIN") {
		return "MIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo"
	}
	return line
}

// TestTokenShapesAreRedacted: every planted credential is replaced wherever it appears in a
// log line; ordinary log text is left alone.
func TestTokenShapesAreRedacted(t *testing.T) {
	r := NewRedactor()
	for name, line := range plantedShapes {
		logged := "2025-01-02T03:04:05Z level=info msg=\"calling upstream\" " + line + " done"
		out := r.Redact(logged)
		if strings.Contains(out, secretPart(line)) || !strings.Contains(out, Redacted) {
			t.Errorf("%s: %q\n  redacted to %q", name, logged, out)
		}
	}
	for _, ordinary := range []string{
		"max_tokens: 256", `"max_tokens":1024`, "prompt_tokens=12 completion_tokens=34",
		"POST /v1/chat/completions 200 in 12ms", "request req_llmchaos_42 served by primary",
		"listening on http://127.0.0.1:8080", "task-123456789 done", "skipping sk- prefix", "keyboard layout us",
		"ghp_short", "AKIA short", "the key is in the other castle",
	} {
		if out := r.Redact(ordinary); out != ordinary {
			t.Errorf("ordinary text changed: %q -> %q", ordinary, out)
		}
	}
}

// hostileReport is a report as another tool (or a hand edit) could produce it: secrets
// in its log and errors and control characters in its names and text, never passed
// through Build's redaction.
func hostileReport() *Report {
	ctl := "\x1b[2J\x07\x00\u009b31m"
	return &Report{
		Schema: SchemaReport, Scenario: "edited" + ctl, Description: "desc " + ctl, Verdict: VerdictFail,
		RunError:  "could not run: AKIAIOSFODNN7EXAMPLE rejected " + ctl,
		StartedAt: time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC), DurationMS: 1000, IntervalMS: 50,
		SLOs:      []SLO{{Expr: "availability >= 0.9", Observed: "0.5" + ctl, Reason: "reason " + ctl, Value: 0.5}},
		Phases:    []Phase{{Name: "steady" + ctl, Requests: 10, OK: 5, Availability: 0.5, ServedBy: map[string]int{"primary" + ctl: 5}, Outcomes: map[string]int{"ok": 5}}},
		Faults:    []Fault{{Upstream: "primary", Kind: "down", Detail: "detail " + ctl}},
		Series:    []Point{},
		Errors:    []ErrorCount{{Outcome: "http_error", Status: 500, Error: "HTTP 500: password=correct-horse-battery " + ctl, Count: 5}},
		Events:    []Event{{Kind: "phase_start", Phase: "steady" + ctl, Detail: "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"}},
		SUTLog:    []string{"booting " + ctl, "using key sk-ant-api03-abcdefghijklmnopqrstuvwxyz0123456789-ABCDEFGHIJ_klmnopqrstuvwxyzAA", "Authorization: Bearer abc.def-ghi_jkl"},
		Upstreams: map[string]string{"primary": "openai"},
	}
}

// TestRenderingRedactsAndEscapesAgain: a report JSON that never went through Build's
// redaction (edited, or produced elsewhere) is redacted again, and its control characters
// escaped, by every renderer and by WriteAll: no format shows a secret or a raw ESC, BEL,
// NUL or C1 control.
func TestRenderingRedactsAndEscapesAgain(t *testing.T) {
	secrets := []string{"AKIAIOSFODNN7EXAMPLE", "correct-horse-battery", "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",
		"sk-ant-api03-abcdefghij", "abc.def-ghi_jkl"}
	controls := []string{"\x1b", "\x07", "\x00", "\u009b"}
	check := func(what, out string) {
		t.Helper()
		for _, s := range secrets {
			if strings.Contains(out, s) {
				t.Errorf("%s shows the secret %q", what, s)
			}
		}
		for _, c := range controls {
			if strings.Contains(out, c) {
				t.Errorf("%s holds a raw control character %q", what, c)
			}
		}
	}
	// Decoded from JSON as `llmchaos report` does.
	var buf bytes.Buffer
	if err := hostileReport().WriteJSON(&buf); err != nil {
		t.Fatal(err)
	}
	rep, err := DecodeReport(buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"markdown", "html", "junit", "json"} {
		r, err := RendererFor(name)
		if err != nil {
			t.Fatal(err)
		}
		var out bytes.Buffer
		if err := r.Render(&out, []*Report{rep}, nil); err != nil {
			t.Fatal(err)
		}
		check(name, out.String())
	}
	dir := t.TempDir()
	paths, err := WriteAll(dir, []*Report{rep}, WithGeneratedAt(fixtureGenerated))
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		check(filepath.Base(p), string(b))
	}
	if !strings.Contains(rep.SUTLog[0], "\x1b") {
		t.Error("rendering changed the caller's report: it must work on a copy")
	}
	var back Report
	b, err := os.ReadFile(paths[0])
	if err != nil || json.Unmarshal(b, &back) != nil || !strings.Contains(strings.Join(back.SUTLog, "\n"), `\x1b`) {
		t.Errorf("%s: the control characters were dropped instead of escaped: %q (%v)", paths[0], back.SUTLog, err)
	}
}
