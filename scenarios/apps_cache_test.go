package scenarios_test

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

// The apps' cache keeps the folders of checkouts used within appsCacheMaxAge and the one
// in use, removes the other checkouts' older ones, and leaves anything else alone.
func TestPruneAppsCache(t *testing.T) {
	root := t.TempDir()
	now := time.Now()
	old := now.Add(-appsCacheMaxAge - time.Hour)
	recent := now.Add(-appsCacheMaxAge + time.Hour)
	folders := map[string]time.Time{
		"catalog-apps-self":   old, // the one in use: kept, and marked used now
		"catalog-apps-stale":  old,
		"catalog-apps-recent": recent,
		"not-ours":            old,
	}
	for name, at := range folders {
		p := filepath.Join(root, name)
		if err := os.MkdirAll(filepath.Join(p, "bin"), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.Chtimes(p, at, at); err != nil {
			t.Fatal(err)
		}
	}
	if err := pruneAppsCache(filepath.Join(root, "catalog-apps-self"), now); err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]bool{"catalog-apps-self": true, "catalog-apps-stale": false, "catalog-apps-recent": true, "not-ours": true} {
		_, err := os.Stat(filepath.Join(root, name))
		if got := err == nil; got != want {
			t.Errorf("%s: present %v, want %v (%v)", name, got, want, err)
		}
	}
	info, err := os.Stat(filepath.Join(root, "catalog-apps-self"))
	if err != nil || info.ModTime().Sub(now).Abs() > time.Second { // some file systems keep coarser times
		t.Errorf("the folder in use was not marked used now: %v, %v", info, err)
	}
}
