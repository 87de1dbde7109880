package scenarios_test

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
	"os/exec"
	"path/filepath"
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

// buildApps builds examples/gateway and examples/naive into dir (created if missing),
// both in one go build (one command links them side by side), with appBuildFlags.
func buildApps(dir string) ([]byte, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	cmd := exec.Command("go", "build", appBuildFlags, "-o", dir+string(filepath.Separator), "./gateway", "./naive")
	cmd.Dir = "../examples" // the apps are their own module
	return cmd.CombinedOutput()
}
