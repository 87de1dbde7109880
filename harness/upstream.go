package harness

import (
	"github.com/llmchaos/llmchaos/harness/fault"
	"github.com/llmchaos/llmchaos/mocks/control"
)

// Upstream is a running mock upstream and the proxy in front of it.
type Upstream struct {
	Name string
	Kind UpstreamKind
	// URL is the proxy's base URL: what the SUT is given (tcp://127.0.0.1:PORT for a
	// KindTCP upstream; the target's path kept for KindHTTP).
	URL string
	// Addr is the proxy's host:port.
	Addr string
	// RealAddr is the real service behind the proxy (KindTCP, KindHTTP), "" for a mock.
	RealAddr string
	// MockURL reaches the mock directly, bypassing the proxy (for the harness's own checks).
	MockURL string
	// Mock is the mock's control surface: protocol faults and journal; nil for a remote
	// mock and for a real service (KindTCP, KindHTTP).
	Mock control.Mock
	// Remote drives a mock running elsewhere (UpstreamSpec.Remote) through its admin
	// API: protocol faults and journal; nil for a mock in this process.
	Remote *control.Client
	// remoteFrom is the remote mock's journal sequence when the Env started: the run's
	// attempts come after it; remoteResets and remoteDropped are the journal's resets and
	// dropped attempts then.
	remoteFrom, remoteResets, remoteDropped int
	// Proxy is the Toxiproxy proxy in front of the mock: network faults. ProxyName is its
	// name on the Toxiproxy server (llmchaos-RUNID-NAME on an external one).
	Proxy     fault.Proxy
	ProxyName string
}

// Target is what a fault acts on when it hits u: its proxy and its mock (in this
// process, or remote through its admin API).
func (u *Upstream) Target() *fault.Target {
	t := &fault.Target{Name: u.Name, Kind: string(u.Kind), Proxy: u.Proxy}
	switch {
	case u.Remote != nil:
		t.Mock = u.Remote
	case u.Mock != nil:
		t.Mock = u.Mock
	}
	return t
}
