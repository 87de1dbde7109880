package harness

import "github.com/llmchaos/llmchaos/mocks/control"

// Upstream is a running mock upstream and the proxy in front of it.
type Upstream struct {
	Name string
	Kind UpstreamKind
	// URL is the proxy's base URL: what the SUT is given.
	URL string
	// MockURL reaches the mock directly, bypassing the proxy (for the harness's own checks).
	MockURL string
	// Mock is the mock's control surface: protocol faults and journal.
	Mock control.Mock
	// Proxy is the Toxiproxy proxy in front of the mock: network faults.
	Proxy Proxy
}
