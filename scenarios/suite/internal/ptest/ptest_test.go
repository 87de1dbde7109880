// Package ptest_test is a small suite of suite.Specs for the ginkgo -p proof: four short
// files against an app each Ginkgo process serves itself. scenarios/suite's
// TestSpecsUnderGinkgoParallel runs it with three Ginkgo processes; go test runs it in one.
package ptest_test

import (
	"net/http"
	"net/http/httptest"
	"testing"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/llmchaos/llmchaos/harness"
	"github.com/llmchaos/llmchaos/scenarios/suite"
)

func TestPtest(t *testing.T) {
	RegisterFailHandler(Fail)
	RunSpecs(t, "suite.Specs under ginkgo -p")
}

// app is this process's app under test: every Ginkgo process has its own.
var app = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
	_, _ = w.Write([]byte("ok"))
}))

var _ = AfterSuite(app.Close)

var _ = suite.Specs("testdata", suite.WithRunOptions(harness.WithSUTOverride(nil, app.URL)))
