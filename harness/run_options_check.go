package harness

import (
	"errors"
	"fmt"
	"net/url"
	"strings"
)

// CheckRunOptions checks what a caller's user gave as options (the CLI's --toxiproxy,
// --sut-cmd and --sut-url) before anything starts: a Toxiproxy API URL and a SUT URL must
// be absolute http(s) URLs with a host (a SUT URL that is a template is checked when it
// renders). Run calls it first and returns its error as a *ScenarioError.
func CheckRunOptions(opts ...RunOption) error {
	c := newRunConfig(opts)
	return c.check()
}

func (c *runConfig) check() error {
	if c.toxiproxy != "" {
		if err := checkHTTPURL(c.toxiproxy); err != nil {
			return fmt.Errorf("toxiproxy API URL: %w", err)
		}
	}
	if c.override && c.sutURL != "" && !strings.Contains(c.sutURL, "{{") {
		if err := checkHTTPURL(c.sutURL); err != nil {
			return fmt.Errorf("SUT URL: %w", err)
		}
	}
	return nil
}

// checkHTTPURL refuses what is not an absolute http(s) URL with a host.
func checkHTTPURL(raw string) error {
	u, err := url.Parse(raw)
	switch {
	case err != nil:
		return fmt.Errorf("%q is not a URL: %w", raw, errors.Unwrap(err))
	case u.Scheme != "http" && u.Scheme != "https":
		return fmt.Errorf("%q is not an http or https URL: write it like http://127.0.0.1:8080", raw)
	case u.Host == "" || strings.ContainsAny(u.Host, " \t"):
		return fmt.Errorf("%q has no host: write it like http://127.0.0.1:8080", raw)
	}
	return nil
}
