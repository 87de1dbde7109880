// Command sutapp is the app under test that the harness's SUT and Run tests start (see package testapp). It is driven
// by environment variables:
//
//	SUTAPP_ADDR         listen here (required unless SUTAPP_CRASH=before)
//	SUTAPP_LINES        print that many numbered lines at start (half to stderr)
//	SUTAPP_ECHO         print "echo: VALUE"
//	SUTAPP_CRASH=before print a fatal line and exit 3 before listening
//	SUTAPP_NOT_READY=1  /healthz answers 503 forever
//	SUTAPP_IGNORE_TERM=1 ignore SIGTERM (the app and its child)
//	SUTAPP_CHILD=1      start a child process in the same group and print "child pid N"
//	SUTAPP_CRASH_AFTER=N exit 4 on the Nth request to a path other than /healthz and /crash
//
// It prints "pid N" first.
// GET /healthz answers 200, GET /crash prints a line and exits 4, anything else answers "ok".
package main

import (
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
)

func main() {
	if os.Getenv("SUTAPP_IGNORE_TERM") == "1" {
		signal.Ignore(syscall.SIGTERM)
	}
	if os.Getenv("SUTAPP_ROLE") == "child" {
		fmt.Println("child running")
		select {}
	}
	fmt.Println("pid", os.Getpid())
	fmt.Println("args:", strings.Join(os.Args[1:], " "))
	if v, ok := os.LookupEnv("SUTAPP_ECHO"); ok {
		fmt.Println("echo:", v)
	}
	n, _ := strconv.Atoi(os.Getenv("SUTAPP_LINES"))
	for i := 1; i <= n; i++ {
		if i%2 == 0 {
			fmt.Fprintf(os.Stderr, "line %d\n", i)
		} else {
			fmt.Printf("line %d\n", i)
		}
	}
	if os.Getenv("SUTAPP_CRASH") == "before" {
		fmt.Fprintln(os.Stderr, "fatal: cannot reach the config store (on purpose)")
		os.Exit(3)
	}
	if os.Getenv("SUTAPP_CHILD") == "1" {
		self, err := os.Executable()
		if err != nil {
			fmt.Fprintln(os.Stderr, "executable:", err)
			os.Exit(5)
		}
		c := exec.Command(self)
		c.Env = append(os.Environ(), "SUTAPP_ROLE=child")
		c.Stdout, c.Stderr = os.Stdout, os.Stderr
		if err := c.Start(); err != nil {
			fmt.Fprintln(os.Stderr, "child:", err)
			os.Exit(5)
		}
		fmt.Println("child pid", c.Process.Pid)
	}
	ln, err := net.Listen("tcp", os.Getenv("SUTAPP_ADDR"))
	if err != nil {
		fmt.Fprintln(os.Stderr, "listen:", err)
		os.Exit(2)
	}
	notReady := os.Getenv("SUTAPP_NOT_READY") == "1"
	mux := http.NewServeMux()
	mux.HandleFunc("/healthz", func(w http.ResponseWriter, r *http.Request) {
		if notReady {
			http.Error(w, "warming up", http.StatusServiceUnavailable)
			return
		}
		fmt.Fprintln(w, "ready")
	})
	mux.HandleFunc("/crash", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintln(os.Stderr, "panic: crashing on request (on purpose)")
		os.Exit(4)
	})
	crashAfter, _ := strconv.Atoi(os.Getenv("SUTAPP_CRASH_AFTER"))
	var served atomic.Int64
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		if n := served.Add(1); crashAfter > 0 && n >= int64(crashAfter) {
			fmt.Fprintf(os.Stderr, "panic: crashing after %d requests (on purpose)\n", n)
			os.Exit(4)
		}
		fmt.Fprintln(w, "ok")
	})
	fmt.Println("listening on", ln.Addr())
	_ = http.Serve(ln, mux)
}
