package control

import (
	"math"
	"strings"
	"time"
)

// entry is how a Journal keeps an Attempt in memory: 120 bytes where an Attempt takes 240.
// The few label strings an attempt shares with many others (upstream, method, fault,
// error) are one pointer to an interned labels value; counts are int32 (saturated: no
// journalled count comes near); the flags are bits. A Journal's readers get Attempts back,
// field for field.
type entry struct {
	arrived    time.Time
	seq        int64
	duration   time.Duration
	retryAfter time.Duration
	bytes      int64
	labels     *labels
	path       string
	id         string
	retryCount int32
	status     int32
	toolCalls  int32
	items      int32
	accepted   int32
	flags      uint8
}

// labels are an attempt's strings that repeat across a journal.
type labels struct {
	upstream, method, fault, err string
}

// The flag bits of an entry.
const (
	flagStream uint8 = 1 << iota
	flagNonRetryable
	flagFollowUp
	flagComplete
	flagCut
)

// maxInterned is how many distinct labels values, and how many distinct paths, a Journal
// shares between its entries. Past it a new value is kept by its entry alone: the journal
// stays correct, only less compact (a mock whose errors or paths never repeat).
const maxInterned = 4096

// interner shares the repeated strings of a Journal's entries. Its values are copies, so
// an interned string never keeps the request it came from (net/http's Method and
// URL.Path are slices of the whole request line) alive.
type interner struct {
	labels map[labels]*labels
	paths  map[string]string
}

func (in *interner) label(l labels) *labels {
	if p, ok := in.labels[l]; ok {
		return p
	}
	p := &labels{strings.Clone(l.upstream), strings.Clone(l.method), strings.Clone(l.fault), strings.Clone(l.err)}
	if in.labels == nil {
		in.labels = map[labels]*labels{}
	}
	if len(in.labels) < maxInterned {
		in.labels[*p] = p
	}
	return p
}

func (in *interner) path(s string) string {
	if p, ok := in.paths[s]; ok {
		return p
	}
	p := strings.Clone(s)
	if in.paths == nil {
		in.paths = map[string]string{}
	}
	if len(in.paths) < maxInterned {
		in.paths[p] = p
	}
	return p
}

// pack makes a's entry, sharing its repeated strings through in.
func (in *interner) pack(a *Attempt) entry {
	e := entry{
		arrived: a.Arrived, seq: int64(a.Seq), duration: a.Duration, retryAfter: a.RetryAfter, bytes: a.Bytes,
		labels: in.label(labels{a.Upstream, a.Method, a.Fault, a.Error}),
		path:   in.path(a.Path), id: a.CorrelationID,
		retryCount: sat32(a.RetryCount), status: sat32(a.Status), toolCalls: sat32(a.ToolCalls),
		items: sat32(a.Items), accepted: sat32(a.Accepted),
	}
	for _, f := range [...]struct {
		on  bool
		bit uint8
	}{{a.Stream, flagStream}, {a.NonRetryable, flagNonRetryable}, {a.FollowUp, flagFollowUp}, {a.Complete, flagComplete}, {a.Cut, flagCut}} {
		if f.on {
			e.flags |= f.bit
		}
	}
	return e
}

// attempt is the Attempt e keeps.
func (e *entry) attempt() Attempt {
	return Attempt{
		Seq: int(e.seq), Upstream: e.labels.upstream, Arrived: e.arrived, Duration: e.duration,
		Method: e.labels.method, Path: e.path, CorrelationID: e.id, RetryCount: int(e.retryCount),
		Stream: e.flags&flagStream != 0, Status: int(e.status), Fault: e.labels.fault,
		NonRetryable: e.flags&flagNonRetryable != 0, ToolCalls: int(e.toolCalls),
		FollowUp: e.flags&flagFollowUp != 0, RetryAfter: e.retryAfter, Bytes: e.bytes,
		Complete: e.flags&flagComplete != 0, Cut: e.flags&flagCut != 0,
		Items: int(e.items), Accepted: int(e.accepted), Error: e.labels.err,
	}
}

// sat32 is n as an int32, saturated at its bounds.
func sat32(n int) int32 {
	return int32(min(max(n, math.MinInt32), math.MaxInt32))
}
