package harness

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"time"
)

// Direction is the way bytes flow through a proxy that a network fault acts on.
type Direction string

// The directions. The zero value means DirDownstream.
const (
	// DirDownstream is the mock's answer flowing back toward the SUT.
	DirDownstream Direction = "downstream"
	// DirUpstream is the SUT's request flowing toward the mock.
	DirUpstream Direction = "upstream"
)

// DefaultToxicity is the share of connections a network fault hits when Toxicity is 0.
const DefaultToxicity float32 = 1

// Network faults and connections the SUT keeps alive: toxics (latency, blackhole,
// bandwidth, slicer, limit data, slow close, reset) are added to every open connection
// through the proxy as well as new ones, so a pooled keep-alive connection is hit at
// once. Down disables the proxy, which also closes every open connection, so a pooled
// connection fails on its next use (the client sees EOF/ECONNRESET, then ECONNREFUSED on
// redial). Reset is the one that differs on open connections: Toxiproxy arranges the
// RST (SO_LINGER 0) when a connection starts, so a connection opened before the fault is
// closed with FIN instead (the client sees EOF or "connection reset"): still a connection
// error, but not always ECONNRESET. Set Reset.DropOpen to close open connections when the
// fault starts so every later connection gets a true RST. Removing a toxic closes
// connections it was holding (blackhole) or lets them flow again (the others).

// toxicSpec is what the typed network faults share.
type toxicSpec struct {
	kind      string
	typ       string
	direction Direction
	toxicity  float32
	attrs     map[string]any
}

// applyToxic adds the toxic to u's proxy under a fresh name and returns its remover.
func applyToxic(_ context.Context, u *Upstream, s toxicSpec) (func() error, error) {
	if u == nil || u.Proxy == nil {
		return nil, fmt.Errorf("%s: upstream has no proxy", s.kind)
	}
	dir := s.direction
	if dir == "" {
		dir = DirDownstream
	}
	if dir != DirDownstream && dir != DirUpstream {
		return nil, fmt.Errorf("%s on %s: direction %q is not %q or %q", s.kind, u.Name, dir, DirDownstream, DirUpstream)
	}
	tox := s.toxicity
	if tox == 0 {
		tox = DefaultToxicity
	}
	if tox < 0 || tox > 1 {
		return nil, fmt.Errorf("%s on %s: toxicity %v is outside (0,1]", s.kind, u.Name, tox)
	}
	t := Toxic{
		Name:       s.kind + "-" + randomSuffix(),
		Type:       s.typ,
		Stream:     string(dir),
		Toxicity:   tox,
		Attributes: s.attrs,
	}
	if err := u.Proxy.AddToxic(t); err != nil {
		return nil, fmt.Errorf("%s on %s: %w", s.kind, u.Name, err)
	}
	return func() error { return u.Proxy.RemoveToxic(t.Name) }, nil
}

// netSuffix describes direction and toxicity for String, leaving out the defaults.
func netSuffix(d Direction, toxicity float32) string {
	s := ""
	if d == DirUpstream {
		s += " upstream"
	}
	if toxicity != 0 && toxicity != 1 {
		s += fmt.Sprintf(" on %.0f%% of connections", toxicity*100)
	}
	return s
}

func ms(d time.Duration) int64 { return d.Milliseconds() }

func randomSuffix() string {
	var b [6]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}
