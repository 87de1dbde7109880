package fault

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"time"
)

// Direction is the way bytes flow through a proxy that a network fault acts on.
type Direction string

// The directions. The zero value means DirDownstream (DirUpstream for Blackhole).
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

// checkNet checks the direction and toxicity every network fault takes.
func checkNet(d Direction, toxicity float32) error {
	if d != "" && d != DirDownstream && d != DirUpstream {
		return &FieldError{Field: "direction", Msg: fmt.Sprintf("%q: want %s (toward the app) or %s (toward the mock)", d, DirDownstream, DirUpstream)}
	}
	if toxicity < 0 || toxicity > 1 {
		return &FieldError{Field: "toxicity", Msg: fmt.Sprintf("%v is outside (0,1]: the share of connections hit (leave it out for all)", toxicity)}
	}
	return nil
}

// negative is a FieldError when d < 0.
func negative(field string, d time.Duration) error {
	if d < 0 {
		return &FieldError{Field: field, Msg: fmt.Sprintf("%v is negative", d)}
	}
	return nil
}

// applyToxic adds the toxic to t's proxy under a fresh name and returns its remover.
func applyToxic(_ context.Context, t *Target, s toxicSpec) (func() error, error) {
	if t == nil || t.Proxy == nil {
		return nil, fmt.Errorf("%s: the upstream has no proxy (network faults need one)", s.kind)
	}
	dir := s.direction
	if dir == "" {
		dir = DirDownstream
	}
	tox := s.toxicity
	if tox == 0 {
		tox = DefaultToxicity
	}
	x := Toxic{
		Name:       s.kind + "-" + randomSuffix(),
		Type:       s.typ,
		Stream:     string(dir),
		Toxicity:   tox,
		Attributes: s.attrs,
	}
	if err := t.Proxy.AddToxic(x); err != nil {
		return nil, fmt.Errorf("%s on %s: %w", s.kind, t.Name, err)
	}
	return func() error { return t.Proxy.RemoveToxic(x.Name) }, nil
}

// invalid wraps a Validate error for Apply.
func invalid(kind string, t *Target, err error) error {
	name := "<nil>"
	if t != nil {
		name = t.Name
	}
	return fmt.Errorf("%s on %s: %w", kind, name, err)
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
