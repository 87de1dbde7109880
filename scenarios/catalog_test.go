package scenarios_test

import (
	"cmp"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/llmchaos/llmchaos/harness/redistest"
	"github.com/llmchaos/llmchaos/scenarios"
	"github.com/llmchaos/llmchaos/scenarios/suite"
)

// TestCatalog runs every scenario file in this folder against both reference apps through
// the parallel runner (up to catalogParallel runs at once): the gateway must meet every SLO, the naive app must fail the way the file's
// expect block says. Adding a file adds a spec.
func TestCatalog(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: skipping the scenario catalog (every file against both reference apps); make test runs it")
	}
	startRedis(t)
	RegisterFailHandler(Fail)
	RunSpecs(t, "llmchaos scenario catalog")
}

// redisAddrVar is the variable the catalog's real-Redis scenarios (redis-outage) name
// as their tcp upstream's target.
const redisAddrVar = "LLMCHAOS_REDIS_ADDR"

// startRedis starts a real redis-server for the scenarios that need one and sets
// redisAddrVar; without redis-server they are skipped (saying so), and with CI=true its
// absence fails the test.
func startRedis(t *testing.T) {
	if _, ok := redistest.Available(); !ok && os.Getenv("CI") != "true" {
		t.Log("redis-server is not installed: the scenarios that need a real Redis are skipped")
		return
	}
	t.Setenv(redisAddrVar, redistest.Start(t))
}

// needsMissingRedis is the reason to skip a file that names redisAddrVar when no Redis
// was started.
func needsMissingRedis(f *scenarios.File) string {
	if os.Getenv(redisAddrVar) != "" {
		return ""
	}
	for _, u := range f.Scenario.Upstreams {
		if strings.Contains(u.Target, redisAddrVar) {
			return "redis-server is not installed: skipping " + f.Scenario.Name + ", which needs a real Redis (apt-get install redis-server)"
		}
	}
	return ""
}

// appsDir holds the reference apps, built once for the suite (appsCacheDir).
var appsDir, appsDirTemporary = appsCacheDir()

// catalogReports is where the suite writes every run's reports: LLMCHAOS_CATALOG_REPORTS
// to keep them, else a temporary folder removed after the suite. The AfterSuite in
// report_equality_test.go reads them back.
var (
	keepReports    = os.Getenv("LLMCHAOS_CATALOG_REPORTS")
	catalogReports = cmp.Or(keepReports, filepath.Join(os.TempDir(), "llmchaos-catalog-reports-"+randomSuffix()))
)

var _ = BeforeSuite(func() {
	if appsDirTemporary {
		DeferCleanup(os.RemoveAll, appsDir)
	}
	if keepReports == "" {
		DeferCleanup(os.RemoveAll, catalogReports)
	}
	out, err := buildApps(appsDir)
	Expect(err).NotTo(HaveOccurred(), "building examples/gateway and examples/naive into %s:\n%s", appsDir, out)
})

// DefaultCatalogParallel is how many runs the catalog runs at once (both apps of a file
// count two) in a race-detector build (make test): the instrumented harness is about five
// times slower, and its timing SLOs flipped at 8 on 2 cores. DefaultCatalogParallelNoRace
// is the same without the race detector: 8 gave every expected verdict in 5 repeats on 2
// cores. 12 runs the catalog in under a minute there (longest first, starts spaced, the
// apps stripped and kept between runs) but saturates both cores, and flipped verdicts in
// 4 of 8 five-repeat sets (2 to 23 flips; the VM's speed moves by a third from one set to
// the next); 16 flipped in every set, and 24 failed outright. LLMCHAOS_CATALOG_PARALLEL
// overrides both. BENCHMARKS.md records the wall times and the flips.
const (
	DefaultCatalogParallel       = 4
	DefaultCatalogParallelNoRace = 8
)

// catalogParallel is LLMCHAOS_CATALOG_PARALLEL, else the default for this build.
func catalogParallel() int {
	if n, err := strconv.Atoi(os.Getenv("LLMCHAOS_CATALOG_PARALLEL")); err == nil && n > 0 {
		return n
	}
	if raceBuild {
		return DefaultCatalogParallel
	}
	return DefaultCatalogParallelNoRace
}

var _ = suite.Specs(".",
	suite.WithApp("gateway", []string{filepath.Join(appsDir, "gateway")}),
	suite.WithApp("naive", []string{filepath.Join(appsDir, "naive")}),
	suite.WithReportDir(catalogReports),
	suite.WithParallel(catalogParallel()),
	suite.WithSkip(needsMissingRedis),
)
