//go:build race

package scenarios_test

// raceBuild is true in a race-detector build: catalogParallel picks its default by it.
const raceBuild = true
