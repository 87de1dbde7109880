package control

import (
	"math"
	"strings"
	"time"
)

// entry is how a Journal keeps an Attempt: 96 bytes with no pointer, where an Attempt
// takes 240. Its strings are kept in its chunk (strRef); the few label values an
// attempt shares with many others (upstream, method, fault, error) and its path are
// numbers of values the journal shares. Counts are int32 (saturated: no journalled count
// comes near); the flags are bits. Arrived is kept to the nanosecond with its location,
// without its monotonic clock reading (as over the admin API): compare it with Equal.
// A Journal's readers get Attempts back, field for field.
type entry struct {
	sec        int64 // Arrived: seconds and nanoseconds since 1970
	seq        int64
	duration   time.Duration
	retryAfter time.Duration
	bytes      int64
	id         strRef
	path       strRef
	labels     strRef // refShared, or the four labels packed by packLabels
	nsec       int32
	zone       uint32 // zoneLocal, zoneUTC, or zoneOther + the journal's zone number
	retryCount int32
	status     int32
	toolCalls  int32
	items      int32
	accepted   int32
	flags      uint8
}

// The flag bits of an entry.
const (
	flagStream uint8 = 1 << iota
	flagNonRetryable
	flagFollowUp
	flagComplete
	flagCut
)

// The zones of an entry's Arrived.
const (
	zoneLocal uint32 = iota
	zoneUTC
	zoneOther
)

// labels are an attempt's strings that repeat across a journal.
type labels struct {
	upstream, method, fault, err string
}

// maxInterned is how many distinct labels values, distinct paths and distinct locations a
// Journal shares between its entries. Past it a new value is kept in its entry's chunk:
// the journal stays correct, only less compact (a mock whose errors or paths never
// repeat).
const maxInterned = 4096

// interner holds the values a Journal's entries share, by number. Its values are
// copies, so a shared string never keeps the request it came from (net/http's Method and
// URL.Path are slices of the whole request line) alive.
type interner struct {
	labelIDs map[labels]uint32
	labels   []labels
	pathIDs  map[string]uint32
	paths    []string
	zones    []*time.Location
	// last is the labels value of the last attempt packed: most attempts repeat it.
	last   uint32
	lastOK bool
}

// label is l's shared number, or false when the journal shares no more values.
func (in *interner) label(l labels) (uint32, bool) {
	if in.lastOK && in.labels[in.last] == l {
		return in.last, true
	}
	id, ok := in.labelIDs[l]
	if !ok {
		if len(in.labels) >= maxInterned {
			return 0, false
		}
		if in.labelIDs == nil {
			in.labelIDs = map[labels]uint32{}
		}
		id = uint32(len(in.labels))
		in.labels = append(in.labels, labels{strings.Clone(l.upstream), strings.Clone(l.method), strings.Clone(l.fault), strings.Clone(l.err)})
		in.labelIDs[in.labels[id]] = id
	}
	in.last, in.lastOK = id, true
	return id, true
}

// path is s's shared number, or false when the journal shares no more paths.
func (in *interner) path(s string) (uint32, bool) {
	if id, ok := in.pathIDs[s]; ok {
		return id, true
	}
	if len(in.paths) >= maxInterned {
		return 0, false
	}
	if in.pathIDs == nil {
		in.pathIDs = map[string]uint32{}
	}
	id := uint32(len(in.paths))
	in.paths = append(in.paths, strings.Clone(s))
	in.pathIDs[in.paths[id]] = id
	return id, true
}

// zone is t's location as an entry's zone.
func (in *interner) zone(t time.Time) uint32 {
	switch loc := t.Location(); loc {
	case time.Local:
		return zoneLocal
	case time.UTC:
		return zoneUTC
	default:
		for i, z := range in.zones {
			if z == loc {
				return zoneOther + uint32(i)
			}
		}
		if len(in.zones) >= maxInterned {
			return zoneUTC // the instant is kept; its location is not
		}
		in.zones = append(in.zones, loc)
		return zoneOther + uint32(len(in.zones)-1)
	}
}

// textNeed is the most text of a chunk a's entry may take.
func textNeed(a *Attempt) int {
	return len(a.CorrelationID) + len(a.Path) + len(a.Upstream) + len(a.Method) + len(a.Fault) + len(a.Error) + 4*binaryLenMax
}

// pack makes a's entry, keeping its strings in c and sharing the repeated ones
// through in.
func (in *interner) pack(a *Attempt, c *chunk) entry {
	e := entry{
		sec: a.Arrived.Unix(), nsec: int32(a.Arrived.Nanosecond()), zone: in.zone(a.Arrived),
		seq: int64(a.Seq), duration: a.Duration, retryAfter: a.RetryAfter, bytes: a.Bytes,
		id:         c.put(a.CorrelationID),
		retryCount: sat32(a.RetryCount), status: sat32(a.Status), toolCalls: sat32(a.ToolCalls),
		items: sat32(a.Items), accepted: sat32(a.Accepted),
	}
	if id, ok := in.path(a.Path); ok {
		e.path = strRef{off: id, n: refShared}
	} else {
		e.path = c.put(a.Path)
	}
	l := labels{a.Upstream, a.Method, a.Fault, a.Error}
	if id, ok := in.label(l); ok {
		e.labels = strRef{off: id, n: refShared}
	} else {
		e.labels = c.put(packLabels(l))
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

// attempt is the Attempt e keeps; c is its chunk.
func (in *interner) attempt(e *entry, c *chunk) Attempt {
	var l labels
	if e.labels.n == refShared {
		l = in.labels[e.labels.off]
	} else {
		l = unpackLabels(c.str(e.labels))
	}
	path := ""
	if e.path.n == refShared {
		path = in.paths[e.path.off]
	} else {
		path = c.str(e.path)
	}
	return Attempt{
		Seq: int(e.seq), Upstream: l.upstream, Arrived: in.arrived(e), Duration: e.duration,
		Method: l.method, Path: path, CorrelationID: c.str(e.id), RetryCount: int(e.retryCount),
		Stream: e.flags&flagStream != 0, Status: int(e.status), Fault: l.fault,
		NonRetryable: e.flags&flagNonRetryable != 0, ToolCalls: int(e.toolCalls),
		FollowUp: e.flags&flagFollowUp != 0, RetryAfter: e.retryAfter, Bytes: e.bytes,
		Complete: e.flags&flagComplete != 0, Cut: e.flags&flagCut != 0,
		Items: int(e.items), Accepted: int(e.accepted), Error: l.err,
	}
}

// arrived is e's Arrived.
func (in *interner) arrived(e *entry) time.Time {
	t := time.Unix(e.sec, int64(e.nsec))
	switch e.zone {
	case zoneLocal:
		return t
	case zoneUTC:
		return t.UTC()
	default:
		return t.In(in.zones[e.zone-zoneOther])
	}
}

// sat32 is n as an int32, saturated at its bounds.
func sat32(n int) int32 {
	return int32(min(max(n, math.MinInt32), math.MaxInt32))
}
