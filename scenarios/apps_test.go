package scenarios_test

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

// appBuildFlags leave the symbol table and DWARF out of the reference apps the catalog
// builds: nothing here debugs them (a panic's trace still names functions), and their
// link took 8.2 s of the catalog's minute with them, 4.8 s without (BENCHMARKS.md).
const appBuildFlags = "-ldflags=-s -w"

// appsCacheDir is where the catalog and the stability test build the reference apps: a
// folder of the user's cache, one per checkout (named for the examples module's path,
// so two checkouts never build over each other's apps), kept between runs. go build
// leaves a binary that is already up to date as it is, so a later run skips linking
// them: 0.7 s instead of 4.8 s (BENCHMARKS.md). With no cache folder (no HOME, no
// XDG_CACHE_HOME) it is a temporary folder, and temporary says to remove it after.
// buildApps removes the folders of checkouts unused for appsCacheMaxAge.
func appsCacheDir() (dir string, temporary bool) {
	examples, err := filepath.Abs("../examples")
	if err == nil {
		var cache string
		if cache, err = os.UserCacheDir(); err == nil {
			sum := sha256.Sum256([]byte(examples))
			return filepath.Join(cache, "llmchaos", "catalog-apps-"+hex.EncodeToString(sum[:6])), false
		}
	}
	return filepath.Join(os.TempDir(), "llmchaos-catalog-apps-"+randomSuffix()), true
}

// appsCacheMaxAge is how long the apps of a checkout nobody runs the catalog from stay in
// the cache (a removed checkout, a CI workspace of another job leaves its folder, 140 MB).
const appsCacheMaxAge = 7 * 24 * time.Hour

// buildApps builds examples/gateway and examples/naive into dir (created if missing),
// both in one go build (one command links them side by side), with appBuildFlags. It
// first marks dir as used now and removes the other checkouts' folders beside it unused
// for appsCacheMaxAge (pruneAppsCache).
func buildApps(dir string) ([]byte, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	if err := pruneAppsCache(dir, time.Now()); err != nil {
		return nil, err
	}
	cmd := exec.Command("go", "build", appBuildFlags, "-o", dir+string(filepath.Separator), "./gateway", "./naive")
	cmd.Dir = "../examples" // the apps are their own module
	return cmd.CombinedOutput()
}

// pruneAppsCache marks dir as used at now (its modification time: go build leaves the
// folder alone when its apps are up to date) and removes the folders beside it named
// catalog-apps-* that were last used more than appsCacheMaxAge before now.
func pruneAppsCache(dir string, now time.Time) error {
	if err := os.Chtimes(dir, now, now); err != nil {
		return err
	}
	parent, self := filepath.Split(filepath.Clean(dir))
	entries, err := os.ReadDir(parent)
	if err != nil {
		return err
	}
	var errs []error
	for _, e := range entries {
		if !e.IsDir() || e.Name() == self || !strings.HasPrefix(e.Name(), "catalog-apps-") {
			continue
		}
		info, err := e.Info()
		if err != nil || now.Sub(info.ModTime()) <= appsCacheMaxAge {
			continue // gone meanwhile, or in use
		}
		errs = append(errs, os.RemoveAll(filepath.Join(parent, e.Name())))
	}
	return errors.Join(errs...)
}
