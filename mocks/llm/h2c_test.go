package llm

import (
	"context"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/llmchaos/llmchaos/mocks/control"
)

// TestH2CBodyReadTimeout: the body read timeout holds over HTTP/2 cleartext too (a
// stream's read deadline, not the connection's): a client that trickles its body over
// h2c is cut off once the timeout passes, and its connection stays usable.
func TestH2CBodyReadTimeout(t *testing.T) {
	s := mustNew(t, WithBodyReadTimeout(300*time.Millisecond))
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- control.Serve(ctx, ln, s) }()
	defer func() { cancel(); <-served }()

	p := new(http.Protocols)
	p.SetUnencryptedHTTP2(true)
	c := &http.Client{Transport: &http.Transport{Protocols: p}}
	defer c.CloseIdleConnections()
	pr, pw := io.Pipe()
	stop := make(chan struct{})
	defer close(stop)
	go func() {
		_, _ = pw.Write([]byte("{"))
		tick := time.NewTicker(50 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-stop:
				pw.Close()
				return
			case <-tick.C:
				if _, err := pw.Write([]byte(" ")); err != nil {
					return
				}
			}
		}
	}()
	url := "http://" + ln.Addr().String() + "/v1/chat/completions"
	begin := time.Now()
	req, _ := http.NewRequest(http.MethodPost, url, pr)
	res, err := c.Do(req)
	if err == nil {
		_, err = io.ReadAll(res.Body)
		res.Body.Close()
	}
	if took := time.Since(begin); took > 5*time.Second {
		t.Fatalf("a trickled h2c body held the mock for %v (timeout 300ms)", took)
	}
	if err == nil && res.StatusCode == http.StatusOK {
		t.Fatalf("a trickled body was answered 200: %v", s.Journal().Attempts())
	}
	res, err = c.Post(url, "application/json", strings.NewReader(`{"model":"m","messages":[{"role":"user","content":"hi"}]}`))
	if err != nil || res.ProtoMajor != 2 || res.StatusCode != http.StatusOK {
		t.Fatalf("a normal request after the cut-off: %v %v", res, err)
	}
	res.Body.Close()
}
