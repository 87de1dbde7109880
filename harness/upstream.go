package harness

import (
	"github.com/llmchaos/llmchaos/harness/fault"
	"github.com/llmchaos/llmchaos/mocks/control"
)

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
	// Proxy is the Toxiproxy proxy in front of the mock: network faults. ProxyName is its
	// name on the Toxiproxy server (llmchaos-RUNID-NAME on an external one).
	Proxy     fault.Proxy
	ProxyName string
}

// Target is what a fault acts on when it hits u: its proxy and its mock.
func (u *Upstream) Target() *fault.Target {
	return &fault.Target{Name: u.Name, Kind: string(u.Kind), Proxy: u.Proxy, Mock: u.Mock}
}
