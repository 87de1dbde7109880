package control

import (
	"context"
	"io"
	"net"
	"net/http"
	"testing"
)

// h2cClient speaks HTTP/2 over plain TCP with prior knowledge (no Upgrade, no TLS), as
// the AWS SDK for JavaScript does against an http:// endpoint.
func h2cClient() *http.Client {
	p := new(http.Protocols)
	p.SetUnencryptedHTTP2(true)
	return &http.Client{Transport: &http.Transport{Protocols: p}}
}

func TestServeSpeaksHTTP1AndH2COnOnePort(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- Serve(ctx, ln, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			_, _ = io.WriteString(w, r.Proto)
		}))
	}()
	defer func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Serve: %v", err)
		}
	}()
	url := "http://" + ln.Addr().String() + "/"
	for _, c := range []struct {
		name   string
		client *http.Client
		major  int
	}{
		{"HTTP/1.1", &http.Client{Transport: &http.Transport{}}, 1},
		{"h2c prior knowledge", h2cClient(), 2},
	} {
		res, err := c.client.Get(url)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.ProtoMajor != c.major || res.StatusCode != 200 || string(body) != res.Proto {
			t.Errorf("%s: answered %s %d %q, want HTTP/%d.x 200 naming the protocol the server saw", c.name, res.Proto, res.StatusCode, body, c.major)
		}
		c.client.CloseIdleConnections()
	}
}

// TestHTTP1OnlyServerRefusesH2C is the negative control: a server without
// Protocols (Go's default over plain TCP: HTTP/1.1 only) fails the same h2c client.
func TestHTTP1OnlyServerRefusesH2C(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { _, _ = io.WriteString(w, "ok") })}
	go func() { _ = srv.Serve(ln) }()
	defer srv.Close()
	c := h2cClient()
	defer c.CloseIdleConnections()
	if res, err := c.Get("http://" + ln.Addr().String() + "/"); err == nil {
		res.Body.Close()
		t.Fatalf("an HTTP/1.1-only server answered an h2c prior-knowledge client (%s): the check above would prove nothing", res.Proto)
	}
}
