package reports

import (
	"slices"
	"strings"
	"testing"
)

func TestSecretsByName(t *testing.T) {
	got := Secrets(
		map[string]string{"OPENAI_API_KEY": "sk-from-env-1234", "PRIMARY_URL": "http://127.0.0.1:1", "GITHUB_TOKEN": ""},
		[]string{"DB_PASSWORD=hunter2-hunter2", "HOME=/root", "X_AUTH_HEADER=Basic abcdefgh", "malformed"},
	)
	slices.Sort(got)
	want := []string{"Basic abcdefgh", "hunter2-hunter2", "sk-from-env-1234"}
	if !slices.Equal(got, want) {
		t.Fatalf("Secrets = %q, want %q (no URL, no HOME, no empty value)", got, want)
	}
}

func TestRedactorWriter(t *testing.T) {
	var b strings.Builder
	w := NewRedactor("hunter2-hunter2").Writer(&b)
	for _, line := range []string{"connecting with hunter2-hunter2\n", "Authorization: Bearer abc.def\n", "plain line\n"} {
		if n, err := w.Write([]byte(line)); err != nil || n != len(line) {
			t.Fatalf("Write = %d, %v", n, err)
		}
	}
	if got := b.String(); strings.Contains(got, "hunter2") || strings.Contains(got, "abc.def") || !strings.Contains(got, "plain line") {
		t.Fatalf("written: %q", got)
	}
}
