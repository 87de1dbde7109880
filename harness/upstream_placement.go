package harness

import (
	"net"
	"net/url"
	"strconv"
)

// validatePlacement checks where an upstream lives: a Remote mock's URL (with no answer
// shape of its own: the remote mock's flags shape its answers) and a fixed Listen
// address, used by no upstream before it.
func validatePlacement(field string, u UpstreamSpec, before []UpstreamSpec) error {
	if u.Remote != "" {
		p, err := url.Parse(u.Remote)
		switch {
		case err != nil || p.Scheme != "http" || p.Host == "":
			return bad(field+".remote", "%q is not an http URL with a host (llmchaos mocks serve plain http, and the proxy in front passes bytes): give the running mock's address, e.g. http://127.0.0.1:8080", u.Remote)
		case p.Path != "" && p.Path != "/":
			return bad(field+".remote", "%q has a path: give the mock's base URL (its admin API is under %s)", u.Remote, "/_llmchaos/")
		case u.AnswerWords != 0 || u.TTFT != 0 || u.TokenDelay != 0:
			return bad(field+".remote", "a remote mock shapes its answers itself: drop answer_words, ttft and token_delay here and start it with --words, --ttft, --token-delay")
		}
	}
	if u.Listen == "" {
		return nil
	}
	_, port, err := net.SplitHostPort(u.Listen)
	if n, perr := strconv.Atoi(port); err != nil || perr != nil || n < 1 || n > 65535 {
		return bad(field+".listen", "%q is not host:port with a port in 1-65535, e.g. 0.0.0.0:18080", u.Listen)
	}
	for _, o := range before {
		if o.Listen == u.Listen {
			return bad(field+".listen", "%q is also upstream %s's: each proxy needs its own address", u.Listen, o.Name)
		}
	}
	return nil
}

// checkListen checks what depends on how the run is carried out: a fixed Listen address
// needs an external Toxiproxy.
func checkListen(specs []UpstreamSpec, external bool) error {
	for i, u := range specs {
		if u.Listen != "" && !external {
			return bad("upstreams["+strconv.Itoa(i)+"].listen", "%q needs an external Toxiproxy (llmchaos run --toxiproxy URL, harness.WithToxiproxy): the embedded one lives inside each run, on loopback ports it picks, so drop listen or give --toxiproxy", u.Listen)
		}
	}
	return nil
}
