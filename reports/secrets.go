package reports

import (
	"io"
	"strings"
	"sync"
	"unicode"
)

// secretNameWords are the words that make a variable's name look secret when the name,
// split into words (at '_', '-', '.', and lower-to-upper case changes), holds one of them:
// OPENAI_KEY, DB_PASS, GCP_CREDENTIALS, DATABASE_DSN, TLS_CERT, apiKey.
var secretNameWords = map[string]bool{
	"KEY": true, "KEYS": true, "APIKEY": true, "PASS": true, "PASSWD": true, "PASSWORD": true,
	"PASSPHRASE": true, "PWD": true, "SECRET": true, "SECRETS": true, "TOKEN": true, "TOKENS": true,
	"CREDENTIAL": true, "CREDENTIALS": true, "CREDS": true, "PRIVATE": true, "CERT": true,
	"CERTIFICATE": true, "DSN": true, "AUTH": true, "AUTHORIZATION": true, "COOKIE": true,
	"SIGNATURE": true, "SESSION": true,
}

// secretNameSuffixes also mark a word that ends with them (MYTOKEN, DBPASSWORD); the short
// words (KEY, PASS) do not, so MONKEY is not a secret.
var secretNameSuffixes = []string{"TOKEN", "SECRET", "PASSWORD", "PASSWD", "CREDENTIALS", "APIKEY"}

// Secrets returns the values of variables whose names look secret (keys, tokens,
// passwords, credentials, private keys, certificates, DSNs: see secretNameWords), from an
// app's env and from environ ("K=V" lines, like os.Environ), for a Redactor: the one
// secret-name policy of the project. NewRedactor ignores values shorter than MinSecretLen,
// so MAX_TOKENS=256 does not blank every "256".
func Secrets(env map[string]string, environ []string) []string {
	var out []string
	add := func(k, v string) {
		if v != "" && looksSecret(k) {
			out = append(out, v)
		}
	}
	for k, v := range env {
		add(k, v)
	}
	for _, kv := range environ {
		k, v, _ := strings.Cut(kv, "=")
		add(k, v)
	}
	return out
}

// shellDirs are the shell's working-directory variables: the word PWD in them is not a
// password, and their values (paths) appear in every message that names a file.
var shellDirs = map[string]bool{"PWD": true, "OLDPWD": true}

func looksSecret(name string) bool {
	if shellDirs[name] {
		return false
	}
	for _, w := range nameWords(name) {
		if secretNameWords[w] {
			return true
		}
		for _, s := range secretNameSuffixes {
			if strings.HasSuffix(w, s) {
				return true
			}
		}
	}
	return false
}

// nameWords splits a variable name into upper-case words at non-alphanumerics and at
// lower-to-upper case changes (apiKey: API, KEY).
func nameWords(name string) []string {
	var words []string
	var cur strings.Builder
	var prev rune
	flush := func() {
		if cur.Len() > 0 {
			words = append(words, strings.ToUpper(cur.String()))
			cur.Reset()
		}
	}
	for _, r := range name {
		switch {
		case !unicode.IsLetter(r) && !unicode.IsDigit(r):
			flush()
		case unicode.IsUpper(r) && unicode.IsLower(prev):
			flush()
			cur.WriteRune(r)
		default:
			cur.WriteRune(r)
		}
		prev = r
	}
	flush()
	return words
}

// Writer returns an io.Writer that cleans each write (Redactor.Clean: secrets redacted,
// control characters escaped) before passing it on to w. Give it whole lines (the
// harness writes an app's output one line per write), so a secret is never split across
// writes. It is safe for concurrent use.
func (r *Redactor) Writer(w io.Writer) io.Writer { return &redactWriter{w: w, red: r} }

type redactWriter struct {
	mu  sync.Mutex
	w   io.Writer
	red *Redactor
}

func (rw *redactWriter) Write(p []byte) (int, error) {
	rw.mu.Lock()
	defer rw.mu.Unlock()
	if _, err := io.WriteString(rw.w, rw.red.Clean(string(p))); err != nil {
		return 0, err
	}
	return len(p), nil
}
