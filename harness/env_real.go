package harness

import (
	"fmt"
	"net"
	"net/url"
	"os"
	"strings"
)

// startReal puts a proxy in front of a real service (KindTCP, KindHTTP) at the spec's
// Target, its $VARs replaced from the environment.
func (e *Env) startReal(spec UpstreamSpec) error {
	addr, path, err := realTarget(spec.Kind, os.ExpandEnv(spec.Target))
	if err != nil {
		return fmt.Errorf("upstream %q: target %q: %w", spec.Name, spec.Target, err)
	}
	name := e.proxyNameFor(spec.Name)
	p, err := e.toxi.Create(name, spec.Listen, addr)
	if err != nil {
		return fmt.Errorf("upstream %q: %w", spec.Name, err)
	}
	e.proxyName = append(e.proxyName, name)
	u := &Upstream{Name: spec.Name, Kind: spec.Kind, Addr: p.Listen(), RealAddr: addr, Proxy: p, ProxyName: name}
	if spec.Kind == KindHTTP {
		u.URL = "http://" + p.Listen() + path
	} else {
		u.URL = "tcp://" + p.Listen()
	}
	e.ups = append(e.ups, u)
	e.byName[spec.Name] = u
	return nil
}

// realTarget reads a target: host:port for tcp, an http URL for http (its host:port and
// path). An empty one (an unset $VAR) says which variable to set.
func realTarget(kind UpstreamKind, target string) (addr, path string, err error) {
	if strings.TrimSpace(target) == "" {
		return "", "", fmt.Errorf("is empty once the environment is read: set the variable it names, or give host:port")
	}
	if kind == KindHTTP {
		u, err := url.Parse(target)
		if err != nil || u.Scheme != "http" || u.Host == "" {
			return "", "", fmt.Errorf("want an http URL like http://127.0.0.1:8080/api (https is not proxied: the proxy passes bytes, not TLS)")
		}
		host := u.Host
		if u.Port() == "" {
			host = net.JoinHostPort(u.Hostname(), "80")
		}
		return host, strings.TrimSuffix(u.Path, "/"), nil
	}
	if _, _, err := net.SplitHostPort(target); err != nil {
		return "", "", fmt.Errorf("want host:port, like 127.0.0.1:6379: %w", err)
	}
	return target, "", nil
}
