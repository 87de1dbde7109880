package harness

import "github.com/llmchaos/llmchaos/harness/fault"

// Proxy is one Toxiproxy proxy, embedded in-process or on an external server. Both
// implementations pass the same tests.
type Proxy interface {
	fault.Proxy
	// Name is the proxy's name (the upstream's).
	Name() string
	// Listen is the host:port the proxy accepts on.
	Listen() string
}
