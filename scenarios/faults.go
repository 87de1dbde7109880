package scenarios

import (
	"fmt"
	"reflect"
	"sort"
	"strings"

	"github.com/llmchaos/llmchaos/harness"
	"github.com/llmchaos/llmchaos/mocks/control"
)

// faultFields lists, per fault type, the YAML fields it takes besides upstream and type.
// Every type also takes flap; protocol types also take ramp, fraction, first_n.
var faultFields = map[string][]string{
	"down":       {},
	"latency":    {"latency", "jitter", "direction", "toxicity"},
	"blackhole":  {"direction", "toxicity"},
	"reset":      {"after", "direction", "toxicity"},
	"bandwidth":  {"rate_kbps", "direction", "toxicity"},
	"slow-close": {"delay", "direction", "toxicity"},
	"slicer":     {"avg_size", "size_variation", "delay", "direction", "toxicity"},
	"limit-data": {"bytes", "direction", "toxicity"},

	"status":          {"status", "retry_after", "retry_after_as", "should_retry"},
	"rate-limit":      {"retry_after", "retry_after_as", "should_retry"},
	"overloaded":      {"retry_after", "retry_after_as", "should_retry"},
	"stream-error":    {"after_chunks"},
	"truncate":        {"after_chunks"},
	"stall":           {"keepalive"},
	"malformed":       {"after_chunks"},
	"slow-tokens":     {"ttft", "token_delay"},
	"no-usage":        {},
	"hang":            {"hold"},
	"partial-success": {"reject_fraction"},
}

var networkTypes = map[string]bool{"down": true, "latency": true, "blackhole": true, "reset": true,
	"bandwidth": true, "slow-close": true, "slicer": true, "limit-data": true}

// buildFault turns a YAML fault into a typed harness.Fault.
func buildFault(y yFault) (harness.Fault, error) {
	typ := y.Type.V
	allowed, ok := faultFields[typ]
	if !ok {
		return nil, fmt.Errorf("unknown fault type %q (network: %s; protocol: %s)", typ, typeList(true), typeList(false))
	}
	if err := checkFaultFields(y, allowed, networkTypes[typ]); err != nil {
		return nil, err
	}
	var f harness.Fault
	if networkTypes[typ] {
		var err error
		if f, err = networkFault(y); err != nil {
			return nil, err
		}
	} else {
		pf, err := protocolFault(y)
		if err != nil {
			return nil, err
		}
		if y.Ramp != nil {
			if y.Ramp.Steps < 0 || y.Ramp.From < 0 || y.Ramp.From > 1 || y.Ramp.To < 0 || y.Ramp.To > 1 {
				return nil, fmt.Errorf("ramp: from and to are shares of requests in [0,1], steps >= 1")
			}
			f = &harness.Ramp{From: y.Ramp.From, To: y.Ramp.To, Steps: y.Ramp.Steps, Fault: pf.Fault}
		} else {
			f = pf
		}
	}
	if y.Flap != nil {
		if y.Flap.Period.D <= 0 {
			return nil, fmt.Errorf("flap: period must be a positive duration, e.g. {period: 2s}")
		}
		f = &harness.Flap{Period: y.Flap.Period.D, Fault: f}
	}
	return f, nil
}

func networkFault(y yFault) (harness.Fault, error) {
	dir := harness.Direction(y.Direction.V)
	if dir != "" && dir != harness.DirDownstream && dir != harness.DirUpstream {
		return nil, fmt.Errorf("direction %q: downstream (toward the app) or upstream (toward the mock)", y.Direction.V)
	}
	var tox float32
	if y.Toxicity != nil {
		if *y.Toxicity <= 0 || *y.Toxicity > 1 {
			return nil, fmt.Errorf("toxicity %v: the share of connections hit, in (0,1]", *y.Toxicity)
		}
		tox = float32(*y.Toxicity)
	}
	switch y.Type.V {
	case "down":
		return &harness.Down{}, nil
	case "latency":
		if y.Latency.D <= 0 {
			return nil, fmt.Errorf("latency: set latency, e.g. latency: 500ms")
		}
		return &harness.Latency{Latency: y.Latency.D, Jitter: y.Jitter.D, Direction: dir, Toxicity: tox}, nil
	case "blackhole":
		return &harness.Blackhole{Direction: dir, Toxicity: tox}, nil
	case "reset":
		return &harness.Reset{After: y.After.D, Direction: dir, Toxicity: tox}, nil
	case "bandwidth":
		if y.RateKBps <= 0 {
			return nil, fmt.Errorf("bandwidth: set rate_kbps, e.g. rate_kbps: 8")
		}
		return &harness.Bandwidth{KBps: y.RateKBps, Direction: dir, Toxicity: tox}, nil
	case "slow-close":
		return &harness.SlowClose{Delay: y.Delay.D, Direction: dir, Toxicity: tox}, nil
	case "slicer":
		if y.AvgSize <= 0 {
			return nil, fmt.Errorf("slicer: set avg_size (bytes per slice)")
		}
		return &harness.Slicer{AvgSize: y.AvgSize, SizeVariation: y.SizeVariation, Delay: y.Delay.D, Direction: dir, Toxicity: tox}, nil
	case "limit-data":
		if y.Bytes <= 0 {
			return nil, fmt.Errorf("limit-data: set bytes (how many pass before the connection closes)")
		}
		return &harness.LimitData{Bytes: y.Bytes, Direction: dir, Toxicity: tox}, nil
	}
	return nil, fmt.Errorf("unknown network fault %q", y.Type.V)
}

func protocolFault(y yFault) (*harness.ProtocolFault, error) {
	f := control.Fault{
		Scope:          control.Scope{Fraction: y.Fraction, FirstN: y.FirstN},
		Status:         y.Status,
		RetryAfter:     control.Duration(y.RetryAfter.D),
		ShouldRetry:    y.ShouldRetry,
		AfterChunks:    y.AfterChunks,
		Keepalive:      control.Duration(y.Keepalive.D),
		TTFT:           control.Duration(y.TTFT.D),
		TokenDelay:     control.Duration(y.TokenDelay.D),
		Hold:           control.Duration(y.Hold.D),
		RejectFraction: y.RejectFraction,
	}
	f.Type = control.FaultType(y.Type.V)
	f.RetryAfterAs = control.RetryAfterFormat(y.RetryAfterAs.V)
	if err := f.Validate(); err != nil {
		return nil, err
	}
	return &harness.ProtocolFault{Fault: f}, nil
}

// checkFaultFields rejects fields that the fault's type does not take.
func checkFaultFields(y yFault, allowed []string, network bool) error {
	ok := map[string]bool{"upstream": true, "type": true, "flap": true}
	for _, a := range allowed {
		ok[a] = true
	}
	if !network {
		ok["ramp"], ok["fraction"], ok["first_n"] = true, true, true
	}
	v := reflect.ValueOf(y)
	t := v.Type()
	for i := 0; i < t.NumField(); i++ {
		name, _, _ := strings.Cut(t.Field(i).Tag.Get("yaml"), ",")
		if ok[name] || v.Field(i).IsZero() {
			continue
		}
		takes := append([]string{}, allowed...)
		sort.Strings(takes)
		return fmt.Errorf("fault type %q does not take %s (it takes: %s)", y.Type.V, name, strings.Join(append(takes, "flap"), ", "))
	}
	return nil
}

func typeList(network bool) string {
	var out []string
	for k := range faultFields {
		if networkTypes[k] == network {
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return strings.Join(out, ", ")
}
