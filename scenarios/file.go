package scenarios

// The YAML file's shape. Strict decoding (an unknown field is an error) works on these
// types; leaves that need checking (durations, rates, names) carry their line.

type yScenario struct {
	Name        yString              `yaml:"name"`
	Description string               `yaml:"description"`
	References  []string             `yaml:"references"`
	Labels      []string             `yaml:"labels"`
	Seed        int64                `yaml:"seed"`
	Upstreams   map[string]yUpstream `yaml:"upstreams"`
	SUT         ySUT                 `yaml:"sut"`
	Load        yLoad                `yaml:"load"`
	Replay      *yReplay             `yaml:"replay"`
	Timeline    []yPhase             `yaml:"timeline"`
	SLO         []yString            `yaml:"slo"`
	// Expect documents, per reference app, the verdict the catalog expects and the SLOs that
	// must be the ones breached. It is read by the catalog suite, not by the harness.
	Expect map[string]yExpect `yaml:"expect"`
}

type yExpect struct {
	Verdict  yString   `yaml:"verdict"`
	Breached []yString `yaml:"breached"`
	Why      string    `yaml:"why"`
}

type yUpstream struct {
	Kind        yString   `yaml:"kind"`
	AnswerWords int       `yaml:"answer_words"`
	TTFT        yDuration `yaml:"ttft"`
	TokenDelay  yDuration `yaml:"token_delay"`
}

type ySUT struct {
	Command []string          `yaml:"command"`
	Dir     string            `yaml:"dir"`
	Env     map[string]string `yaml:"env"`
	URL     string            `yaml:"url"`
	Ready   yReady            `yaml:"ready"`
}

type yReady struct {
	Path    string    `yaml:"path"`
	Timeout yDuration `yaml:"timeout"`
}

type yLoad struct {
	Rate        yRate     `yaml:"rate"`
	Timeout     yDuration `yaml:"timeout"`
	MaxInFlight int       `yaml:"max_in_flight"`
	Request     yRequest  `yaml:"request"`
}

type yRequest struct {
	Protocol yString           `yaml:"protocol"`
	Method   string            `yaml:"method"`
	Path     string            `yaml:"path"`
	Stream   bool              `yaml:"stream"`
	Model    string            `yaml:"model"`
	Headers  map[string]string `yaml:"headers"`
	Body     string            `yaml:"body"`
	Success  ySuccess          `yaml:"success"`
}

type ySuccess struct {
	Status   []int  `yaml:"status"`
	Contains string `yaml:"contains"`
}

// yReplay scales an incident's real clock: every Real of the timeline plays in Played.
type yReplay struct {
	Real   yDuration `yaml:"real"`
	Played yDuration `yaml:"played"`
}

type yPhase struct {
	Phase  yString   `yaml:"phase"`
	For    yDuration `yaml:"for"`
	Faults []yFault  `yaml:"faults"`
	Note   string    `yaml:"note"`
}

// yFault is every field any fault type takes; each type accepts only its own (checked in faults.go).
type yFault struct {
	Upstream yString `yaml:"upstream"`
	Type     yString `yaml:"type"`

	// network faults
	Direction     yString   `yaml:"direction"`
	Toxicity      *float64  `yaml:"toxicity"`
	Latency       yDuration `yaml:"latency"`
	Jitter        yDuration `yaml:"jitter"`
	After         yDuration `yaml:"after"`
	RateKBps      int64     `yaml:"rate_kbps"`
	Delay         yDuration `yaml:"delay"`
	AvgSize       int       `yaml:"avg_size"`
	SizeVariation int       `yaml:"size_variation"`
	Bytes         int64     `yaml:"bytes"`

	// protocol faults
	Status         int       `yaml:"status"`
	RetryAfter     yDuration `yaml:"retry_after"`
	RetryAfterAs   yString   `yaml:"retry_after_as"`
	ShouldRetry    *bool     `yaml:"should_retry"`
	AfterChunks    int       `yaml:"after_chunks"`
	Keepalive      yDuration `yaml:"keepalive"`
	TTFT           yDuration `yaml:"ttft"`
	TokenDelay     yDuration `yaml:"token_delay"`
	Hold           yDuration `yaml:"hold"`
	Fraction       float64   `yaml:"fraction"`
	FirstN         int       `yaml:"first_n"`
	RejectFraction float64   `yaml:"reject_fraction"`

	// time-varying
	Ramp *yRamp `yaml:"ramp"`
	Flap *yFlap `yaml:"flap"`
}

type yRamp struct {
	From  float64 `yaml:"from"`
	To    float64 `yaml:"to"`
	Steps int     `yaml:"steps"`
}

type yFlap struct {
	Period yDuration `yaml:"period"`
}
