//go:build unix

package sut

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/llmchaos/llmchaos/harness/internal/testapp"
	"github.com/llmchaos/llmchaos/harness/tmpl"
	"github.com/onsi/gomega"
	"go.uber.org/goleak"
)

// sutTestData is template data with one fake upstream.
func sutTestData() tmpl.Data {
	return tmpl.Data{
		Scenario:  "sut-test",
		Upstreams: map[string]tmpl.Upstream{"primary": {Name: "primary", Kind: "openai", URL: "http://127.0.0.1:1"}},
	}
}

func sutTestGet(t *testing.T, url string) string {
	t.Helper()
	c := &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{DisableKeepAlives: true}}
	resp, err := c.Get(url)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return string(b)
}

func TestSUTProcess(t *testing.T) {
	bin := testapp.Build(t)
	ctx := context.Background()

	t.Run("ready, templates and log capture", func(t *testing.T) {
		defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
		g := gomega.NewWithT(t)
		tee := &testapp.Buffer{}
		spec := Spec{
			Command: []string{bin, "--scenario={{ .Scenario }}", "plain"},
			Env: map[string]string{
				"SUTAPP_ADDR":  "{{ .SUT.Addr }}",
				"SUTAPP_ECHO":  "{{ .Upstreams.primary.URL }}",
				"SUTAPP_LINES": "300",
			},
			Ready: Ready{Path: "/healthz", Timeout: 20 * time.Second},
		}
		sut, err := Start(ctx, spec, sutTestData(), WithLogWriter(tee))
		g.Expect(err).NotTo(gomega.HaveOccurred())
		defer sut.Stop()
		g.Expect(sut.URL()).To(gomega.MatchRegexp(`^http://127\.0\.0\.1:\d+$`))
		g.Expect(sutTestGet(t, sut.URL()+"/x")).To(gomega.Equal("ok\n"))
		g.Expect(sut.Err()).To(gomega.BeNil())
		g.Eventually(func() string {
			l := sut.Log()
			if len(l) == 0 {
				return ""
			}
			return l[len(l)-1]
		}, 5*time.Second, 10*time.Millisecond).Should(gomega.HavePrefix("listening on " + strings.TrimPrefix(sut.URL(), "http://")))
		lines := sut.Log()
		g.Expect(lines).To(gomega.HaveLen(DefaultLogTail))
		g.Expect(lines[len(lines)-2]).To(gomega.Equal("line 300")) // from stderr, in order with stdout
		g.Expect(lines[len(lines)-3]).To(gomega.Equal("line 299"))
		g.Expect(lines).NotTo(gomega.ContainElement("line 1"))

		g.Expect(sut.Stop()).To(gomega.Succeed())
		g.Expect(sut.Done()).To(gomega.BeClosed())
		g.Expect(sut.Err()).To(gomega.MatchError(ErrStopped))
		out := tee.String()
		g.Expect(out).To(gomega.ContainSubstring("args: --scenario=sut-test plain\n"))
		g.Expect(out).To(gomega.ContainSubstring("echo: http://127.0.0.1:1\n"))
		g.Expect(out).To(gomega.ContainSubstring("line 1\nline 2\n"))
		g.Expect(sut.Stop()).To(gomega.Succeed(), "a second Stop is harmless")
	})

	t.Run("tcp readiness without a path", func(t *testing.T) {
		defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
		g := gomega.NewWithT(t)
		spec := Spec{Command: []string{bin}, Env: map[string]string{"SUTAPP_ADDR": "{{ .SUT.Addr }}"}}
		sut, err := Start(ctx, spec, sutTestData())
		g.Expect(err).NotTo(gomega.HaveOccurred())
		defer sut.Stop()
		g.Expect(sutTestGet(t, sut.URL()+"/healthz")).To(gomega.Equal("ready\n"))
	})

	t.Run("crash before ready fails fast with the log tail", func(t *testing.T) {
		defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
		g := gomega.NewWithT(t)
		spec := Spec{
			Command: []string{bin},
			Env:     map[string]string{"SUTAPP_CRASH": "before", "SUTAPP_LINES": "3"},
			Ready:   Ready{Path: "/healthz", Timeout: 30 * time.Second},
		}
		began := time.Now()
		sut, err := Start(ctx, spec, sutTestData())
		took := time.Since(began)
		g.Expect(sut).To(gomega.BeNil())
		var se *Error
		g.Expect(errors.As(err, &se)).To(gomega.BeTrue(), "error %v", err)
		g.Expect(se.Stage).To(gomega.Equal("exit"))
		g.Expect(se.ExitCode).To(gomega.Equal(3))
		g.Expect(se.LogTail).To(gomega.ContainElement("fatal: cannot reach the config store (on purpose)"))
		g.Expect(se.LogTail).To(gomega.ContainElement("line 3"))
		g.Expect(err.Error()).To(gomega.ContainSubstring("fatal: cannot reach the config store"))
		g.Expect(err.Error()).To(gomega.ContainSubstring("exit code 3"))
		g.Expect(took).To(gomega.BeNumerically("<", 10*time.Second), "must not wait for the ready timeout")
	})

	t.Run("crash after ready is seen", func(t *testing.T) {
		defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
		g := gomega.NewWithT(t)
		spec := Spec{Command: []string{bin}, Env: map[string]string{"SUTAPP_ADDR": "{{ .SUT.Addr }}"}, Ready: Ready{Path: "/healthz"}}
		sut, err := Start(ctx, spec, sutTestData())
		g.Expect(err).NotTo(gomega.HaveOccurred())
		defer sut.Stop()
		c := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
		if resp, err := c.Get(sut.URL() + "/crash"); err == nil {
			resp.Body.Close()
		}
		g.Eventually(sut.Done(), 10*time.Second).Should(gomega.BeClosed())
		var se *Error
		g.Expect(errors.As(sut.Err(), &se)).To(gomega.BeTrue(), "Err %v", sut.Err())
		g.Expect(se.Stage).To(gomega.Equal("exit"))
		g.Expect(se.ExitCode).To(gomega.Equal(4))
		g.Expect(se.LogTail).To(gomega.ContainElement("panic: crashing on request (on purpose)"))
		g.Expect(sut.Stop()).To(gomega.Succeed())
		g.Expect(errors.As(sut.Err(), &se)).To(gomega.BeTrue(), "Stop after a crash keeps the crash as the reason")
	})

	for _, ignoreTerm := range []bool{false, true} {
		t.Run(fmt.Sprintf("stop kills the process group (ignore SIGTERM %v)", ignoreTerm), func(t *testing.T) {
			defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
			g := gomega.NewWithT(t)
			env := map[string]string{"SUTAPP_ADDR": "{{ .SUT.Addr }}", "SUTAPP_CHILD": "1"}
			grace := 5 * time.Second
			if ignoreTerm {
				env["SUTAPP_IGNORE_TERM"] = "1"
				grace = 300 * time.Millisecond
			}
			sut, err := Start(ctx, Spec{Command: []string{bin}, Env: env, Ready: Ready{Path: "/healthz"}},
				sutTestData(), WithStopGrace(grace))
			g.Expect(err).NotTo(gomega.HaveOccurred())
			defer sut.Stop()
			var child int
			g.Eventually(func() int { child = testapp.Pid(sut.Log(), "child pid "); return child }, 5*time.Second, 10*time.Millisecond).ShouldNot(gomega.BeZero())
			g.Eventually(func() []string { return sut.Log() }, 5*time.Second, 10*time.Millisecond).Should(gomega.ContainElement("child running"))
			g.Expect(testapp.Alive(child)).To(gomega.BeTrue())
			main := sut.(*processSUT).cmd.Process.Pid

			began := time.Now()
			g.Expect(sut.Stop()).To(gomega.Succeed())
			took := time.Since(began)
			g.Expect(sut.Done()).To(gomega.BeClosed())
			g.Expect(sut.Err()).To(gomega.MatchError(ErrStopped))
			g.Expect(testapp.Alive(main)).To(gomega.BeFalse(), "the app is gone")
			g.Eventually(func() bool { return testapp.Alive(child) }, 2*time.Second, 10*time.Millisecond).Should(gomega.BeFalse(), "its child is gone too")
			if ignoreTerm {
				g.Expect(took).To(gomega.BeNumerically(">=", grace), "SIGKILL only after the grace period")
			} else {
				g.Expect(took).To(gomega.BeNumerically("<", grace), "SIGTERM was enough")
			}
		})
	}

	t.Run("not ready in time", func(t *testing.T) {
		defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
		g := gomega.NewWithT(t)
		spec := Spec{
			Command: []string{bin},
			Env:     map[string]string{"SUTAPP_ADDR": "{{ .SUT.Addr }}", "SUTAPP_NOT_READY": "1", "SUTAPP_CHILD": "1"},
			Ready:   Ready{Path: "/healthz", Timeout: 500 * time.Millisecond},
		}
		_, err := Start(ctx, spec, sutTestData(), WithStopGrace(time.Second))
		var se *Error
		g.Expect(errors.As(err, &se)).To(gomega.BeTrue(), "error %v", err)
		g.Expect(se.Stage).To(gomega.Equal("ready"))
		g.Expect(err.Error()).To(gomega.ContainSubstring("503"))
		if child := testapp.Pid(se.LogTail, "child pid "); child != 0 {
			// SIGKILL went to the group before Start returned; the child dies asynchronously.
			g.Eventually(func() bool { return testapp.Alive(child) }, 2*time.Second, 10*time.Millisecond).Should(gomega.BeFalse(), "the app's group was stopped")
		}
	})

	t.Run("template errors name the field", func(t *testing.T) {
		g := gomega.NewWithT(t)
		_, err := Start(ctx, Spec{Command: []string{bin}, Env: map[string]string{"PRIMARY": "{{ .Upstreams.tertiary.URL }}"}}, sutTestData())
		var se *Error
		g.Expect(errors.As(err, &se)).To(gomega.BeTrue())
		g.Expect(se.Stage).To(gomega.Equal("start"))
		g.Expect(err.Error()).To(gomega.And(gomega.ContainSubstring("sut.env.PRIMARY"), gomega.ContainSubstring("tertiary")))

		_, err = Start(ctx, Spec{Command: []string{bin, "{{ .SUT.Addr"}}, sutTestData())
		g.Expect(err).To(gomega.MatchError(gomega.ContainSubstring("sut.command[1]")))

		_, err = Start(ctx, Spec{Command: []string{bin}, URL: "{{ .SUT.Port }}"}, sutTestData())
		g.Expect(err).To(gomega.MatchError(gomega.ContainSubstring("sut.url")))
	})

	t.Run("missing command", func(t *testing.T) {
		g := gomega.NewWithT(t)
		_, err := Start(ctx, Spec{Command: []string{"llmchaos-no-such-command"}}, sutTestData())
		var se *Error
		g.Expect(errors.As(err, &se)).To(gomega.BeTrue())
		g.Expect(se.Stage).To(gomega.Equal("start"))
		g.Expect(err.Error()).To(gomega.And(gomega.ContainSubstring("llmchaos-no-such-command"), gomega.ContainSubstring("not found")))
		g.Expect(errors.Is(err, exec.ErrNotFound)).To(gomega.BeTrue())

		_, err = Start(ctx, Spec{Command: []string{filepath.Join(t.TempDir(), "nope")}}, sutTestData())
		g.Expect(err).To(gomega.MatchError(gomega.ContainSubstring("no such file")))
	})
}

func TestSUTHandler(t *testing.T) {
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
	g := gomega.NewWithT(t)
	mux := http.NewServeMux()
	mux.HandleFunc("/healthz", func(w http.ResponseWriter, r *http.Request) {})
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, "in-process") })
	sut, err := Start(context.Background(), Spec{Handler: mux, Ready: Ready{Path: "/healthz"}}, sutTestData())
	g.Expect(err).NotTo(gomega.HaveOccurred())
	defer sut.Stop()
	g.Expect(sut.URL()).To(gomega.MatchRegexp(`^http://127\.0\.0\.1:\d+$`))
	g.Expect(sutTestGet(t, sut.URL()+"/a")).To(gomega.Equal("in-process"))
	g.Expect(sut.Done()).NotTo(gomega.BeClosed())
	g.Expect(sut.Stop()).To(gomega.Succeed())
	g.Expect(sut.Done()).To(gomega.BeClosed())
	g.Expect(sut.Err()).To(gomega.MatchError(ErrStopped))
}

func TestSUTURL(t *testing.T) {
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
	g := gomega.NewWithT(t)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/up" {
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	data := sutTestData()
	data.SUT.Addr = strings.TrimPrefix(srv.URL, "http://")

	sut, err := Start(context.Background(), Spec{URL: "http://{{ .SUT.Addr }}/", Ready: Ready{Path: "/up"}}, data)
	g.Expect(err).NotTo(gomega.HaveOccurred())
	g.Expect(sut.URL()).To(gomega.Equal(srv.URL + "/"))
	g.Expect(sut.Err()).To(gomega.BeNil())
	g.Expect(sut.Stop()).To(gomega.Succeed())
	g.Expect(sut.Done()).To(gomega.BeClosed())

	_, err = Start(context.Background(), Spec{URL: srv.URL, Ready: Ready{Path: "/down", Timeout: 200 * time.Millisecond}}, data)
	g.Expect(err).To(gomega.MatchError(gomega.ContainSubstring("404")))

	_, err = Start(context.Background(), Spec{URL: "127.0.0.1:80"}, data)
	g.Expect(err).To(gomega.MatchError(gomega.ContainSubstring("not an absolute http(s) URL")))
	srv.CloseClientConnections()
}

func TestSUTSpecShape(t *testing.T) {
	g := gomega.NewWithT(t)
	_, err := Start(context.Background(), Spec{}, sutTestData())
	g.Expect(err).To(gomega.MatchError(gomega.ContainSubstring("no command, handler or url")))
	_, err = Start(context.Background(), Spec{Command: []string{"x"}, Handler: http.NotFoundHandler()}, sutTestData())
	g.Expect(err).To(gomega.MatchError(gomega.ContainSubstring("both a command and a handler")))
}

func TestSUTLogRing(t *testing.T) {
	g := gomega.NewWithT(t)
	l := newLogRing(3)
	g.Expect(l.Lines()).To(gomega.BeEmpty())
	for i := 1; i <= 5; i++ {
		l.Add(strconv.Itoa(i))
	}
	g.Expect(l.Lines()).To(gomega.Equal([]string{"3", "4", "5"}))

	l = newLogRing(10)
	long := strings.Repeat("x", 10000)
	var tee bytes.Buffer
	readLines(strings.NewReader("a\r\n"+long+"\nlast-without-newline"), l, &tee, 100)
	g.Expect(l.Lines()).To(gomega.Equal([]string{"a", strings.Repeat("x", 100), "last-without-newline"}))
	g.Expect(tee.String()).To(gomega.Equal("a\n" + strings.Repeat("x", 100) + "\nlast-without-newline\n"))
}
