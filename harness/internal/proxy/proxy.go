// Package proxy is where the harness's Toxiproxy proxies live: an Embedded Toxiproxy
// server in this process (the default: nothing to install) or an External one driven
// through its HTTP API. Both give the same Proxy, which implements fault.Proxy (the part
// network faults use) and pass the same tests. It imports harness/fault.
package proxy

import "github.com/llmchaos/llmchaos/harness/fault"

// Proxy is one Toxiproxy proxy, embedded in-process or on an external server.
type Proxy interface {
	fault.Proxy
	// Name is the proxy's name.
	Name() string
	// Listen is the host:port the proxy accepts on.
	Listen() string
}

// Server is where proxies live: an Embedded or an External Toxiproxy.
type Server interface {
	// Create starts a proxy called name in front of upstreamAddr, listening on listen
	// (host:port), or on a free loopback port when listen is "".
	Create(name, listen, upstreamAddr string) (Proxy, error)
	// Remove stops and deletes the proxy called name.
	Remove(name string) error
	// Close releases the server (the embedded one stops every proxy it holds).
	Close() error
	// Shared reports whether others may use the server too (an external one): proxies
	// then need names unique to the run.
	Shared() bool
}

var (
	_ Server = (*Embedded)(nil)
	_ Server = (*External)(nil)
)
