package starter

// starter is one scenario of the set.
type starter struct {
	name, description string
	// needs is the upstream the scenario faults.
	needs string
	// onlyWithStore marks the store outage: written when Config.Store asks.
	onlyWithStore bool
	// timeline is the YAML list of phases.
	timeline string
	slos     []string
}

// Name, Description, Timeline and SLOs are what the file template reads.
func (s starter) Name() string        { return s.name }
func (s starter) Description() string { return s.description }
func (s starter) Timeline() string    { return s.timeline }
func (s starter) SLOs() []string      { return s.slos }

func (s starter) wanted(c Config, bound map[string]bool) bool {
	if s.onlyWithStore && !c.Store {
		return false
	}
	return bound[s.needs]
}

// starters are the headline failures, the catalog's scenarios in short.
var starters = []starter{
	{name: "provider-dropout", needs: "primary",
		description: "The primary provider refuses connections; the app must fail over at once and come back.",
		timeline: `  - {phase: steady, for: 2s}
  - {phase: outage, for: 5s, faults: [{upstream: primary, type: down}]}
  - {phase: recovery, for: 4s}
`,
		slos: []string{"ttf <= 2s", "availability(outage) >= 0.95", "availability(recovery) >= 0.95"}},
	{name: "rate-limit-storm", needs: "primary",
		description: "The primary answers every request 429 with Retry-After 2s; the app must serve from elsewhere without a retry storm.",
		timeline: `  - {phase: steady, for: 2s}
  - {phase: limited, for: 6s, faults: [{upstream: primary, type: rate-limit, retry_after: 2s}]}
  - {phase: recovery, for: 4s}
`,
		slos: []string{"availability(limited) >= 0.95", "amplification(limited) <= 1.5", "retry_after_violations == 0"}},
	{name: "stream-truncation", needs: "primary",
		description: "The primary cuts every stream after 3 chunks and closes cleanly; the app must not pass a cut answer on as whole.",
		timeline: `  - {phase: steady, for: 2s}
  - {phase: truncating, for: 5s, faults: [{upstream: primary, type: truncate, after_chunks: 3}]}
  - {phase: recovery, for: 4s}
`,
		slos: []string{"silent_truncations == 0", "availability(recovery) >= 0.95"}},
	{name: "telemetry-overload", needs: "collector",
		description: "The telemetry collector is 1s slow and answers 503; the app's answers must not slow down.",
		timeline: `  - {phase: steady, for: 2s}
  - phase: overload
    for: 5s
    faults:
      - {upstream: collector, type: latency, latency: 1s}
      - {upstream: collector, type: status, status: 503, retry_after: 1s}
  - {phase: recovery, for: 4s}
`,
		slos: []string{"p99(latency, overload) <= 500ms", "availability(overload) >= 0.99", "telemetry_resumed == 1"}},
	{name: "store-outage", needs: "store", onlyWithStore: true,
		description: "The store refuses connections; the app must keep answering (without what the store holds).",
		timeline: `  - {phase: steady, for: 2s}
  - {phase: outage, for: 5s, faults: [{upstream: store, type: down}]}
  - {phase: recovery, for: 3s}
`,
		slos: []string{"availability(outage) >= 0.95", "p99(latency, outage) <= 1000ms"}},
}
