package sut

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"os/exec"
	"sort"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/llmchaos/llmchaos/harness/tmpl"
)

// sutDrainWait bounds how long the harness waits for the app's output to be read to its end
// after the app exited: a child the app left behind may hold the pipe open.
const sutDrainWait = 500 * time.Millisecond

// processSUT is an app run as a child process in its own process group (a job object
// on Windows).
type processSUT struct {
	url   string
	cmd   *exec.Cmd
	group procGroup
	log   *logRing
	out   *os.File // read end of the app's stdout+stderr pipe
	grace time.Duration

	done       chan struct{} // closed once the process exited and its output was drained
	readerDone chan struct{}

	mu       sync.Mutex
	stopping bool
	err      error

	stopOnce sync.Once
}

var _ App = (*processSUT)(nil)

// processPlan is a process app's command, env and URL once the templates rendered.
type processPlan struct {
	args   []string
	env    []string
	target string
	check  readyCheck
}

// DefaultPortAttempts is how many ports Start tries for a Command app whose address it
// picked (FreeLoopbackAddr): a port free when picked can be taken by another process
// before the app binds it, and the app then exits saying the address is in use.
const DefaultPortAttempts = 3

// startProcessSUT starts spec.Command in its own process group and waits until it is
// ready. When it picked the app's address and the app exited before it was ready because
// that address was taken meanwhile, it starts the app again on a fresh port, up to
// DefaultPortAttempts times.
func startProcessSUT(ctx context.Context, spec Spec, data tmpl.Data, cfg config) (App, error) {
	picked := data.SUT.Addr == ""
	for attempt := 1; ; attempt++ {
		if picked {
			addr, err := cfg.pickAddr()
			if err != nil {
				return nil, &Error{Stage: "start", ExitCode: -1, Err: err}
			}
			data.SUT.Addr = addr
		}
		app, taken, err := startProcessOnce(ctx, spec, data, cfg)
		if err == nil || !picked || !taken || attempt == DefaultPortAttempts || ctx.Err() != nil {
			return app, err
		}
	}
}

// startProcessOnce starts the app once; taken reports that it exited before it was ready
// because its address was in use.
func startProcessOnce(ctx context.Context, spec Spec, data tmpl.Data, cfg config) (app App, taken bool, err error) {
	plan, err := planProcess(spec, data)
	if err != nil {
		return nil, false, &Error{Stage: "start", ExitCode: -1, Err: err}
	}
	p, err := launch(spec, plan, cfg)
	if err != nil {
		return nil, false, err
	}
	err = waitReady(ctx, plan.check, readyTimeout(spec.Ready), cfg.readyPoll, p.done)
	if err == nil {
		return p, false, nil
	}
	if errors.Is(err, errExitedBeforeReady) {
		cause := p.Err()
		_ = p.Stop() // sweep whatever the app left in its group
		taken = addrInUse(data.SUT.Addr, p.Log())
		var se *Error
		if errors.As(cause, &se) {
			return nil, taken, &Error{Stage: "exit", ExitCode: se.ExitCode, LogTail: p.Log(),
				Err: fmt.Errorf("%s exited before it was ready: %w", plan.args[0], se.Err)}
		}
		return nil, taken, &Error{Stage: "exit", ExitCode: -1, LogTail: p.Log(), Err: cause}
	}
	_ = p.Stop()
	return nil, false, &Error{Stage: "ready", ExitCode: -1, LogTail: p.Log(), Err: fmt.Errorf("%s at %s: %w", plan.args[0], plan.target, err)}
}

// addrInUse reports whether an app that exited before it was ready lost its address to
// another process: its log says the address is in use, or addr cannot be bound now.
func addrInUse(addr string, log []string) bool {
	for _, l := range log {
		low := strings.ToLower(l)
		if strings.Contains(low, "address already in use") || strings.Contains(low, "eaddrinuse") {
			return true
		}
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return errors.Is(err, syscall.EADDRINUSE)
	}
	_ = ln.Close()
	return false
}

// planProcess renders the command, env and URL (picking a free address when data has
// none) and the readiness check.
func planProcess(spec Spec, data tmpl.Data) (processPlan, error) {
	if data.SUT.Addr == "" {
		addr, err := FreeLoopbackAddr()
		if err != nil {
			return processPlan{}, err
		}
		data.SUT.Addr = addr
	}
	var plan processPlan
	for i, a := range spec.Command {
		s, err := tmpl.Render(fmt.Sprintf("sut.command[%d]", i), a, data)
		if err != nil {
			return processPlan{}, err
		}
		plan.args = append(plan.args, s)
	}
	var err error
	if plan.env, err = sutEnv(spec.Env, data); err != nil {
		return processPlan{}, err
	}
	if plan.target, err = sutURL(spec, data); err != nil {
		return processPlan{}, err
	}
	plan.check, err = processReadyCheck(spec.Ready, plan.target)
	return plan, err
}

// launch starts the process in its own process group (Setpgid; a job object on
// Windows), tied to the harness's life (on Unix Pdeathsig on Linux and a reaper for the
// whole group; on Windows the job kills on close), its stdout and stderr on one pipe
// read into the log tail, and a goroutine that reaps it.
func launch(spec Spec, plan processPlan, cfg config) (*processSUT, error) {
	cmd := exec.Command(plan.args[0], plan.args[1:]...)
	if cmd.Err != nil {
		return nil, &Error{Stage: "start", ExitCode: -1,
			Err: fmt.Errorf("command %q cannot be run: %w; check sut.command and PATH", plan.args[0], cmd.Err)}
	}
	r, w, err := os.Pipe()
	if err != nil {
		return nil, &Error{Stage: "start", ExitCode: -1, Err: fmt.Errorf("make the sut's output pipe: %w", err)}
	}
	cmd.Dir = spec.Dir
	cmd.Env = plan.env
	cmd.Stdout = w
	cmd.Stderr = w
	prepareGroup(cmd)
	if err := startCmd(cmd); err != nil {
		_ = r.Close()
		_ = w.Close()
		return nil, &Error{Stage: "start", ExitCode: -1,
			Err: fmt.Errorf("start %q (dir %q): %w; check sut.command, sut.dir and PATH", plan.args[0], spec.Dir, err)}
	}
	_ = w.Close() // the app holds its own copy; ours would keep the reader from ever ending
	group, err := attachGroup(cmd)
	if err != nil {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		_ = r.Close()
		return nil, &Error{Stage: "start", ExitCode: -1, Err: err}
	}

	p := &processSUT{
		url:        plan.target,
		cmd:        cmd,
		group:      group,
		log:        newLogRing(cfg.tail),
		out:        r,
		grace:      cfg.stopGrace,
		done:       make(chan struct{}),
		readerDone: make(chan struct{}),
	}
	go func() {
		defer close(p.readerDone)
		defer r.Close()
		readLines(r, p.log, cfg.output, DefaultMaxLogLine)
	}()
	go p.wait()
	return p, nil
}

// sutEnv is os.Environ plus the rendered spec env, in key order.
func sutEnv(spec map[string]string, data tmpl.Data) ([]string, error) {
	keys := make([]string, 0, len(spec))
	for k := range spec {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	env := os.Environ()
	for _, k := range keys {
		v, err := tmpl.Render("sut.env."+k, spec[k], data)
		if err != nil {
			return nil, err
		}
		env = append(env, k+"="+v)
	}
	return env, nil
}

// processReadyCheck is an HTTP GET on Path, or a TCP connect to the URL's host:port.
func processReadyCheck(r Ready, target string) (readyCheck, error) {
	if r.Path != "" {
		return httpReady(joinURL(target, r.Path)), nil
	}
	u, err := url.Parse(target)
	if err != nil {
		return nil, fmt.Errorf("sut url %q: %w", target, err)
	}
	host := u.Host
	if u.Port() == "" {
		port := "80"
		if u.Scheme == "https" {
			port = "443"
		}
		host = net.JoinHostPort(u.Hostname(), port)
	}
	return tcpReady(host), nil
}

// wait reaps the process, lets its output drain, records why it ended and closes done.
func (p *processSUT) wait() {
	werr := p.cmd.Wait()
	drain := time.NewTimer(sutDrainWait)
	select {
	case <-p.readerDone:
	case <-drain.C:
	}
	drain.Stop()
	p.mu.Lock()
	if p.stopping {
		p.err = ErrStopped
	} else {
		code := p.cmd.ProcessState.ExitCode()
		cause := werr
		if cause == nil {
			cause = errors.New("exited on its own with status 0 (an app under test should run until the harness stops it)")
		}
		p.err = &Error{Stage: "exit", ExitCode: code, LogTail: p.log.Lines(), Err: cause}
	}
	p.mu.Unlock()
	close(p.done)
}

// URL is where the app serves.
func (p *processSUT) URL() string { return p.url }

// Log is the tail of the app's output.
func (p *processSUT) Log() []string { return p.log.Lines() }

// Done is closed when the app exited.
func (p *processSUT) Done() <-chan struct{} { return p.done }

// Err says why the app exited; nil while it runs.
func (p *processSUT) Err() error {
	select {
	case <-p.done:
	default:
		return nil
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.err
}

// Stop sends SIGTERM to the app's process group (CTRL_BREAK on Windows), SIGKILL (the
// job's termination) after the grace period, waits for the app, then kills whatever is
// left in its group and stops reading its output.
func (p *processSUT) Stop() error {
	var err error
	p.stopOnce.Do(func() {
		p.mu.Lock()
		select {
		case <-p.done:
		default:
			p.stopping = true
		}
		p.mu.Unlock()

		select {
		case <-p.done:
		default:
			err = p.group.terminate()
			grace := time.NewTimer(p.grace)
			select {
			case <-p.done:
			case <-grace.C:
				p.group.kill()
				<-p.done
			}
			grace.Stop()
		}
		// Children the app started (same group) may outlive it: kill them too.
		p.group.kill()
		p.group.release()
		drain := time.NewTimer(sutDrainWait)
		select {
		case <-p.readerDone:
		case <-drain.C:
			// Something outside the group still holds the pipe: stop reading it.
			_ = p.out.Close()
			<-p.readerDone
		}
		drain.Stop()
	})
	return err
}

// SpawnLoop is the name of the function of the goroutine that starts apps on Linux, for leak checks that must
// let it live (it runs as long as the process, once an app has been started).
const SpawnLoop = "github.com/llmchaos/llmchaos/harness/internal/sut.spawnLoop"
