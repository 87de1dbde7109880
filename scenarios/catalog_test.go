package scenarios_test

import (
	"cmp"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/llmchaos/llmchaos/scenarios/suite"
)

// TestCatalog runs every scenario file in this folder against both reference apps through
// the parallel runner (up to catalogParallel runs at once): the gateway must meet every SLO, the naive app must fail the way the file's
// expect block says. Adding a file adds a spec.
func TestCatalog(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: skipping the scenario catalog (every file against both reference apps); make test runs it")
	}
	RegisterFailHandler(Fail)
	RunSpecs(t, "llmchaos scenario catalog")
}

// appsDir holds the reference apps, built once for the suite.
var appsDir = filepath.Join(os.TempDir(), "llmchaos-catalog-apps-"+randomSuffix())

// catalogReports is where the suite writes every run's reports: LLMCHAOS_CATALOG_REPORTS
// to keep them, else a temporary folder removed after the suite. The AfterSuite in
// report_equality_test.go reads them back.
var (
	keepReports    = os.Getenv("LLMCHAOS_CATALOG_REPORTS")
	catalogReports = cmp.Or(keepReports, filepath.Join(os.TempDir(), "llmchaos-catalog-reports-"+randomSuffix()))
)

var _ = BeforeSuite(func() {
	DeferCleanup(os.RemoveAll, appsDir)
	if keepReports == "" {
		DeferCleanup(os.RemoveAll, catalogReports)
	}
	for _, app := range []string{"gateway", "naive"} {
		// The apps are their own module (examples/go.mod): build from there.
		cmd := exec.Command("go", "build", "-o", filepath.Join(appsDir, app), "./"+app)
		cmd.Dir = "../examples"
		out, err := cmd.CombinedOutput()
		Expect(err).NotTo(HaveOccurred(), "building examples/%s:\n%s", app, out)
	}
})

// DefaultCatalogParallel is how many runs the catalog runs at once (both apps of a file
// count two): LLMCHAOS_CATALOG_PARALLEL overrides it. BENCHMARKS.md records the wall
// time and the verdict flips for several values on 2 cores.
const DefaultCatalogParallel = 4

// catalogParallel is LLMCHAOS_CATALOG_PARALLEL, else DefaultCatalogParallel.
func catalogParallel() int {
	if n, err := strconv.Atoi(os.Getenv("LLMCHAOS_CATALOG_PARALLEL")); err == nil && n > 0 {
		return n
	}
	return DefaultCatalogParallel
}

var _ = suite.Specs(".",
	suite.WithApp("gateway", []string{filepath.Join(appsDir, "gateway")}),
	suite.WithApp("naive", []string{filepath.Join(appsDir, "naive")}),
	suite.WithReportDir(catalogReports),
	suite.WithParallel(catalogParallel()),
)
