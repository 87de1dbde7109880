package harness

// proxyServer is where an Env's proxies live: an embedded Toxiproxy or an external one.
type proxyServer interface {
	// create starts a proxy called name in front of upstreamAddr, listening on a free
	// loopback port.
	create(name, upstreamAddr string) (Proxy, error)
	// remove stops and deletes the proxy called name.
	remove(name string) error
	// close releases the server (the embedded one stops every proxy it holds).
	close() error
}

var (
	_ proxyServer = (*embeddedToxiproxy)(nil)
	_ proxyServer = (*externalToxiproxy)(nil)
)
