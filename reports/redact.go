package reports

import (
	"regexp"
	"sort"
	"strings"
)

// Redacted is what replaces a secret.
const Redacted = "[REDACTED]"

// MinSecretLen is the shortest literal secret WithSecrets and NewRedactor accept; shorter
// values (a MAX_TOKENS=256 caught by a *TOKEN* pattern) would blank ordinary text.
const MinSecretLen = 8

// secretPattern finds a credential by its shape; repl replaces the match (by default the
// first group, a header or parameter name, is kept and the rest becomes Redacted).
// needles are literals every match contains (lower case when the expression is
// case-insensitive, fold): a text holding none of them cannot match, so Redact skips the
// expression, which is most of its cost on a report's many short strings.
type secretPattern struct {
	re      *regexp.Regexp
	repl    string
	needles []string
	fold    bool
}

// pattern compiles expr, whose first group is kept; every match contains one of needles.
func pattern(expr string, needles ...string) secretPattern {
	return secretPattern{re: regexp.MustCompile(expr), repl: "${1}" + Redacted, needles: needles, fold: strings.HasPrefix(expr, "(?i)")}
}

// mayMatch reports whether s (lower, its lower-case form, for a fold pattern) holds one
// of p's needles.
func (p secretPattern) mayMatch(s, lower string) bool {
	if p.fold {
		s = lower
	}
	for _, n := range p.needles {
		if strings.Contains(s, n) {
			return true
		}
	}
	return false
}

// secretPatterns are the credential shapes Redact recognises without being told the
// value. The token formats follow the rules gitleaks publishes (github.com/gitleaks/
// gitleaks, config/gitleaks.toml, MIT licensed; rule ids in the comments), written here
// from those rules' documented formats rather than copied.
var secretPatterns = []secretPattern{
	// Authorization: Bearer xyz / "authorization":"Basic xyz" / Proxy-Authorization=...
	pattern(`(?i)((?:proxy-)?authorization["']?\s*[:=]\s*["']?(?:(?:bearer|basic|token)\s+)?)[^\s"',;}]+`, "authorization"),
	// x-api-key: xyz / api_key=xyz / "apiKey": "xyz" / x-goog-api-key
	pattern(`(?i)((?:x-(?:goog-)?)?api[-_]?key["']?\s*[:=]\s*["']?)[^\s"',;&}]+`, "api"),
	// Bearer tokens anywhere
	pattern(`(?i)(\bbearer\s+)[A-Za-z0-9._~+/=-]+`, "bearer"),
	// token-ish query and form parameters
	pattern(`(?i)([?&](?:key|access_token|token|secret|password)=)[^&\s"']+`, "="),
	// provider key shapes: sk-..., sk-ant-api03-... (anthropic-api-key), sk-proj-... (openai-api-key)
	pattern(`()\bsk-[A-Za-z0-9_-]{8,}`, "sk-"),
	// AWS access key ids (aws-access-token): AKIA, ASIA (temporary), and the other prefixes
	pattern(`()\b(?:A3T[A-Z0-9]|AKIA|ASIA|ABIA|ACCA|AGPA|AIDA|AROA|AIPA|ANPA|ANVA)[A-Z0-9]{16}\b`, "A3T", "AKIA", "ASIA", "ABIA", "ACCA", "AGPA", "AIDA", "AROA", "AIPA", "ANPA", "ANVA"),
	// GitHub tokens: classic PAT, OAuth, user-to-server, server-to-server, refresh
	// (github-pat, github-oauth, github-app-token, github-refresh-token)
	pattern(`()\bgh[pousr]_[0-9A-Za-z]{36,255}\b`, "ghp_", "gho_", "ghu_", "ghs_", "ghr_"),
	// GitHub fine-grained PATs (github-fine-grained-pat)
	pattern(`()\bgithub_pat_[0-9A-Za-z_]{22,255}\b`, "github_pat_"),
	// Slack bot, user, app-level, config and legacy tokens (slack-*-token)
	pattern(`()\bxox[abeoprs]-[0-9A-Za-z-]{10,}`, "xox"),
	pattern(`()\bxapp-\d-[0-9A-Za-z]+-\d+-[0-9A-Za-z]+`, "xapp-"),
	// Google API keys (gcp-api-key)
	pattern(`()\bAIza[0-9A-Za-z_-]{35}\b`, "AIza"),
	// JSON Web Tokens (jwt): header.payload[.signature], both base64url JSON
	pattern(`()\beyJ[0-9A-Za-z_-]{8,}\.eyJ[0-9A-Za-z_-]{8,}\.[0-9A-Za-z_-]*`, "eyJ"),
	// PEM private key blocks (private-key), to the end of the text when the END line is elsewhere
	pattern(`()-----BEGIN[ A-Z0-9]*PRIVATE KEY(?: BLOCK)?-----[\s\S]*?(?:-----END[ A-Z0-9]*PRIVATE KEY(?: BLOCK)?-----|$)`, "-----BEGIN"),
	// the password of user:password@ in a URL or DSN
	{re: regexp.MustCompile(`(\b[A-Za-z][A-Za-z0-9+.-]*://[^\s:/@]+:)[^\s@/]+(@)`), repl: "${1}" + Redacted + "${2}", needles: []string{"://"}},
	// key=value, key: value and "key": "value" whose key ends with a secret word
	// (password=..., "db_pass": "...", client_secret=...); values shorter than
	// MinSecretLen stay (max_tokens: 256 is not a key)
	pattern(`(?i)(\b[A-Za-z0-9_.-]*(?:pass|passwd|password|pwd|secret|token|api[-_]?key|access[-_]?key|private[-_]?key|credentials?)["']?\s*[:=]\s*["']?)[^\s"',;&}]{8,}`, ":", "="),
}

// Redactor scrubs credentials from text: Authorization and API-key headers, bearer
// tokens, provider keys (sk-…), AWS, GitHub, Slack and Google keys, JWTs, private key
// blocks, URL passwords, key=value pairs whose key names a secret, token query
// parameters, and the literal secrets it holds. It is safe for concurrent use.
type Redactor struct {
	secrets []string
}

// NewRedactor returns a Redactor that also replaces the given literal values (at least
// MinSecretLen long; the longest first, so a key holding another key is replaced whole).
func NewRedactor(secrets ...string) *Redactor {
	seen := map[string]bool{}
	var keep []string
	for _, s := range secrets {
		s = strings.TrimSpace(s)
		if len(s) < MinSecretLen || seen[s] {
			continue
		}
		seen[s] = true
		keep = append(keep, s)
	}
	sort.SliceStable(keep, func(i, j int) bool { return len(keep[i]) > len(keep[j]) })
	return &Redactor{secrets: keep}
}

// Redact returns s with every credential replaced by Redacted.
func (r *Redactor) Redact(s string) string { return r.redact(s, true) }

// redactEvery is Redact without the needle check: every expression runs on every text.
// Tests hold Redact to it, and BenchmarkRedact compares the two.
func (r *Redactor) redactEvery(s string) string { return r.redact(s, false) }

// redact replaces the literal secrets, then the credential shapes; with needles it skips
// an expression whose literals s lacks (secretPattern.mayMatch).
func (r *Redactor) redact(s string, needles bool) string {
	if s == "" {
		return s
	}
	for _, sec := range r.secrets {
		s = strings.ReplaceAll(s, sec, Redacted)
	}
	var lower string // s in lower case, for the needle check only
	if needles {
		lower = strings.ToLower(s)
	}
	for _, p := range secretPatterns {
		if needles && !p.mayMatch(s, lower) {
			continue
		}
		if out := p.re.ReplaceAllString(s, p.repl); out != s {
			s = out
			if needles {
				lower = strings.ToLower(out)
			}
		}
	}
	return s
}

// Clean is Redact, then Printable: what every report format and the CLI's terminal
// output show of text they did not write themselves.
func (r *Redactor) Clean(s string) string { return Printable(r.Redact(s)) }
