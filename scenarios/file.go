package scenarios

import "gopkg.in/yaml.v3"

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
	// Remote is the base URL of a mock already running elsewhere (llmchaos mock, e.g. http://mocks:8080): it is driven through its admin API instead of starting one.
	Remote yString `yaml:"remote"`
	// Listen is a fixed address for the upstream's proxy (host:port, e.g. 0.0.0.0:18080); only with an external Toxiproxy (--toxiproxy).
	Listen yString `yaml:"listen"`
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
	Tools    bool              `yaml:"tools"`
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
	Phase yString   `yaml:"phase"`
	For   yDuration `yaml:"for"`
	// Faults are decoded by the fault registry (harness/fault), which knows each type's
	// fields: each is a mapping with upstream, type and that type's fields.
	Faults []yaml.Node `yaml:"faults"`
	Note   string      `yaml:"note"`
}
