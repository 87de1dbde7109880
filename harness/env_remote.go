package harness

import (
	"context"
	"fmt"
	"net"
	"net/url"

	"github.com/llmchaos/llmchaos/harness/load"
	"github.com/llmchaos/llmchaos/mocks/control"
)

// startRemote puts a proxy in front of a mock already running at spec.Remote and drives
// it through its admin API. The mock must answer as the upstream's name (the harness
// tells who served a request by it); its journal's sequence number now is where this
// run's attempts begin.
func (e *Env) startRemote(ctx context.Context, spec UpstreamSpec) error {
	c, err := control.NewClient(spec.Remote)
	if err != nil {
		return fmt.Errorf("upstream %q: %w", spec.Name, err)
	}
	info, err := c.Info(ctx)
	if err != nil {
		c.Close()
		return fmt.Errorf("upstream %q: remote mock: %w", spec.Name, err)
	}
	if info.Name != spec.Name {
		c.Close()
		return fmt.Errorf("upstream %q: the remote mock at %s answers as %q: the harness tells who served a request by that name, so start it with --name %s (or name the upstream %s)",
			spec.Name, spec.Remote, info.Name, spec.Name, info.Name)
	}
	e.remotes = append(e.remotes, c)
	name := e.proxyNameFor(spec.Name)
	p, err := e.toxi.Create(name, spec.Listen, remoteAddr(spec.Remote))
	if err != nil {
		return fmt.Errorf("upstream %q: %w", spec.Name, err)
	}
	e.proxyName = append(e.proxyName, name)
	u := &Upstream{
		Name: spec.Name, Kind: spec.Kind, URL: "http://" + p.Listen(), MockURL: c.URL(),
		Remote: c, Proxy: p, ProxyName: name, remoteFrom: info.Journal.Seq, remoteResets: info.Journal.Resets, remoteDropped: info.Journal.Dropped,
	}
	e.ups = append(e.ups, u)
	e.byName[spec.Name] = u
	return nil
}

// remoteAddr is the host:port of a mock's URL (port 80 when it names none).
func remoteAddr(remote string) string {
	u, err := url.Parse(remote)
	if err != nil {
		return remote
	}
	if u.Port() == "" {
		return net.JoinHostPort(u.Hostname(), "80")
	}
	return u.Host
}

// HasRemote reports whether an upstream is a remote mock: the run's correlation ids then
// carry its id (IDPrefix), so that mock's journal can be read back for this run alone.
func (e *Env) HasRemote() bool {
	for _, u := range e.ups {
		if u.Remote != nil {
			return true
		}
	}
	return false
}

// IDPrefix is what this Env's run's correlation ids start with for scenario:
// load.IDPrefix with the run's id when an upstream is remote, without it otherwise.
func (e *Env) IDPrefix(scenario string) string {
	if e.HasRemote() {
		return load.IDPrefix(scenario, e.runID)
	}
	return load.IDPrefix(scenario, "")
}

// Journals reads every mock's journal, keyed by upstream name: a mock in this process
// whole, once its open attempts are recorded (waiting at most DefaultJournalSettle for
// all of them); a remote mock's attempts since the Env started it, and, for an LLM
// upstream, only those whose correlation id starts with idPrefix (Env.IDPrefix). A telemetry or
// store mock's attempts carry no reliable id, so a remote one shared by runs running at
// the same time counts the others' attempts too. A real service (no mock) has none.
func (e *Env) Journals(ctx context.Context, idPrefix string) (map[string][]control.Attempt, error) {
	out := make(map[string][]control.Attempt, len(e.ups))
	settle, cancel := context.WithTimeout(ctx, DefaultJournalSettle) // one wait for all mocks
	defer cancel()
	for _, u := range e.ups {
		switch {
		case u.Mock != nil:
			j := u.Mock.Journal()
			_ = j.Settle(settle) // an attempt still open after that is left out, as it ends later
			out[u.Name] = j.Attempts()
		case u.Remote != nil:
			a, err := u.remoteJournal(ctx, idPrefix)
			if err != nil {
				return out, err
			}
			out[u.Name] = a
		}
	}
	return out, nil
}

// remoteJournal reads this run's attempts from a remote mock, and fails when the mock's
// journal was emptied during the run (its sequence went back), which lost them.
func (u *Upstream) remoteJournal(ctx context.Context, idPrefix string) ([]control.Attempt, error) {
	q := control.JournalQuery{After: u.remoteFrom}
	if u.Kind.IsLLM() {
		q.Prefix = idPrefix + "-"
	}
	a, err := u.Remote.Journal(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("upstream %q: read the remote mock's journal: %w", u.Name, err)
	}
	info, err := u.Remote.Info(ctx)
	if err != nil {
		return nil, fmt.Errorf("upstream %q: remote mock: %w", u.Name, err)
	}
	if info.Journal.Resets != u.remoteResets {
		return nil, fmt.Errorf("upstream %q: the remote mock's journal was emptied during the run (DELETE %sjournal): this run's attempts are lost; do not clear a journal a run is using", u.Name, control.AdminPrefix)
	}
	if lostDuringRun(info.Journal, u.remoteFrom, u.remoteDropped) {
		return nil, fmt.Errorf("upstream %q: the remote mock's journal was full (its limit is %d attempts) and dropped %d of the attempts after seq %d, where this run's begin: this run's may be among them; start the mock with a higher --journal-limit, or read runs shorter than its limit", u.Name, info.Journal.Limit, info.Journal.Dropped-u.remoteDropped, u.remoteFrom)
	}
	return a, nil
}

// lostDuringRun reports whether a remote journal dropped attempts a run that started
// at seq from may need. A journal drops its oldest attempts (a ring), so those dropped
// before the run's began are harmless: only DroppedThrough above from loses some. A mock
// that does not report DroppedThrough (0) while its Dropped count grew is taken to have
// lost them.
func lostDuringRun(st control.JournalStats, from, droppedAtStart int) bool {
	if st.DroppedThrough > 0 {
		return st.DroppedThrough > from
	}
	return st.Dropped > droppedAtStart
}
