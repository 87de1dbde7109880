package scenarios_test

import (
	"cmp"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/llmchaos/llmchaos/scenarios/suite"
)

// TestCatalog runs every scenario file in this folder against both reference apps, side
// by side: the gateway must meet every SLO, the naive app must fail the way the file's
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

var _ = suite.Specs(".",
	suite.WithApp("gateway", []string{filepath.Join(appsDir, "gateway")}),
	suite.WithApp("naive", []string{filepath.Join(appsDir, "naive")}),
	suite.WithReportDir(catalogReports),
)
