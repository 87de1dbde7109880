package control

import (
	"context"
	"io"
	"net"
	"net/http"
	"testing"
	"time"
)

func TestServeStopsWhenContextEnds(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	held := make(chan struct{})
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/hold" {
			close(held)
			<-r.Context().Done() // a mock hanging until the client leaves
			return
		}
		_, _ = io.WriteString(w, "ok")
	})
	done := make(chan error, 1)
	go func() { done <- Serve(ctx, ln, h) }()

	res, err := http.Get("http://" + ln.Addr().String() + "/")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if string(body) != "ok" {
		t.Fatalf("body %q", body)
	}
	go func() {
		if res, err := http.Get("http://" + ln.Addr().String() + "/hold"); err == nil {
			res.Body.Close()
		}
	}()
	<-held
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("Serve: %v", err)
		}
	case <-time.After(DefaultShutdownGrace + 10*time.Second):
		t.Fatal("Serve did not return after its context ended")
	}
	if _, err := net.Dial("tcp", ln.Addr().String()); err == nil {
		t.Fatal("listener still accepting after shutdown")
	}
}

func TestListenAndServeReportsBadAddress(t *testing.T) {
	if err := ListenAndServe(context.Background(), "127.0.0.1:-1", http.NotFoundHandler()); err == nil {
		t.Fatal("want an error for a bad address")
	}
}
