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

// secretPatterns find credentials by shape. Each keeps its first group (the header or
// parameter name) and replaces the rest.
var secretPatterns = []*regexp.Regexp{
	// Authorization: Bearer xyz / "authorization":"Basic xyz" / Proxy-Authorization=...
	regexp.MustCompile(`(?i)((?:proxy-)?authorization["']?\s*[:=]\s*["']?(?:(?:bearer|basic|token)\s+)?)[^\s"',;}]+`),
	// x-api-key: xyz / api_key=xyz / "apiKey": "xyz" / x-goog-api-key
	regexp.MustCompile(`(?i)((?:x-(?:goog-)?)?api[-_]?key["']?\s*[:=]\s*["']?)[^\s"',;&}]+`),
	// Bearer tokens anywhere
	regexp.MustCompile(`(?i)(\bbearer\s+)[A-Za-z0-9._~+/=-]+`),
	// token-ish query and form parameters
	regexp.MustCompile(`(?i)([?&](?:key|access_token|token|secret|password)=)[^&\s"']+`),
	// provider key shapes: sk-..., sk-ant-..., sk-proj-...
	regexp.MustCompile(`()\bsk-[A-Za-z0-9_-]{8,}`),
}

// Redactor scrubs credentials from text: Authorization and API-key headers, bearer
// tokens, sk-… provider keys, token query parameters, and the literal secrets it holds.
// It is safe for concurrent use.
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
func (r *Redactor) Redact(s string) string {
	if s == "" {
		return s
	}
	for _, sec := range r.secrets {
		s = strings.ReplaceAll(s, sec, Redacted)
	}
	for _, re := range secretPatterns {
		s = re.ReplaceAllString(s, "${1}"+Redacted)
	}
	return s
}
