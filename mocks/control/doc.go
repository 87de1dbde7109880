// Package control holds what every llmchaos mock shares: the protocol side of the fault
// vocabulary (Fault, its FaultType and the table of types in Types, DecodeFault), the
// scope that decides which requests a fault hits, the journal of attempts, and the admin
// HTTP API that sets and clears faults at run time. It imports nothing else of the
// project; the mocks (mocks/llm, mocks/telemetry, mocks/store) import only it.
//
// A protocol fault reads the same in Go, in the admin API's JSON and in scenario YAML:
//
//	{"type": "rate-limit", "retry_after": "2s", "retry_after_as": "ms", "fraction": 0.3}
//
// Network faults (down, latency, blackhole, ...) are played by the Toxiproxy proxy in
// front of a mock, never by the mock: the admin API refuses them and says so.
//
// Every mock's Journal is bounded as a ring (DefaultMaxJournal, SetLimit; llmchaos mock
// --journal-limit): past its limit it drops its oldest attempts and counts them
// (JournalStats.Dropped, DroppedThrough), so a long-lived mock shared by runs keeps the
// newest attempts, those the runs reading theirs (JournalQuery) still need. It keeps each
// attempt as a compact entry without pointers (96 bytes and its correlation id, where an
// Attempt takes 240: the strings that repeat across attempts, such as the upstream,
// method, fault and path, shared, and copied so that they never keep the request they
// came from), in blocks of memory outside the collected heap on Linux (Footprint): the
// collector neither scans a journal nor grows the heap for it, which made journalling a
// mock's costliest part under load. Chunks it empties (its ring, Reset) it keeps for
// reuse, up to 64 (about 8.7 MB), and releases the rest. It hands Attempts back when
// read; their Arrived comes back without its monotonic clock reading, as over the admin
// API.
package control
