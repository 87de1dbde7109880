package fault

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/llmchaos/llmchaos/mocks/control"
)

// Family says what plays a fault type.
type Family string

// The families.
const (
	// FamilyNetwork faults are played by the Toxiproxy proxy in front of the upstream.
	FamilyNetwork Family = "network"
	// FamilyProtocol faults are played by the upstream's mock.
	FamilyProtocol Family = "protocol"
)

// Type is one entry of the registry.
type Type struct {
	// Name is the vocabulary word: the type in YAML and JSON, the fault's Kind.
	Name   string
	Family Family
	// Fields are the fields it takes besides type and the modifiers (flap: {period} on
	// every type; ramp: {from, to, steps, over} on protocol types).
	Fields []string
	// Doc says in a line what the app sees.
	Doc string

	decode func(raw map[string]json.RawMessage) (Fault, error)
}

// networkType is one network entry: its doc and a zero value whose tags give its fields.
type networkType struct {
	name control.FaultType
	doc  string
	zero func() Fault
}

// networkTypes is the one table of network fault types (protocol types are
// control.Types). It is never modified.
var networkTypes = []networkType{
	{control.TypeDown, "connection refused; open connections closed", func() Fault { return &Down{} }},
	{control.TypeLatency, "a slow network", func() Fault { return &Latency{} }},
	{control.TypeBlackhole, "the connection is accepted and nothing ever comes back", func() Fault { return &Blackhole{} }},
	{control.TypeReset, "ECONNRESET after a delay", func() Fault { return &Reset{} }},
	{control.TypeBandwidth, "a thin pipe", func() Fault { return &Bandwidth{} }},
	{control.TypeSlowClose, "the close comes late", func() Fault { return &SlowClose{} }},
	{control.TypeSlicer, "the answer in small, delayed pieces", func() Fault { return &Slicer{} }},
	{control.TypeLimitData, "the connection closes after that many bytes", func() Fault { return &LimitData{} }},
}

// Types returns the registry: the network types, then the protocol types, each once.
func Types() []Type {
	out := make([]Type, 0, len(networkTypes)+len(control.Types()))
	for _, n := range networkTypes {
		out = append(out, Type{Name: string(n.name), Family: FamilyNetwork, Fields: fieldNames(n.zero()), Doc: n.doc, decode: n.decoder()})
	}
	for _, p := range control.Types() {
		out = append(out, Type{Name: string(p.Type), Family: FamilyProtocol, Fields: p.Fields, Doc: p.Doc, decode: decodeProtocol})
	}
	return out
}

// Lookup returns the type called name.
func Lookup(name string) (Type, bool) {
	for _, t := range Types() {
		if t.Name == name {
			return t, true
		}
	}
	return Type{}, false
}

func (n networkType) decoder() func(map[string]json.RawMessage) (Fault, error) {
	return func(raw map[string]json.RawMessage) (Fault, error) {
		f := n.zero()
		delete(raw, "type")
		if err := decodeFields(fmt.Sprintf("fault type %q", n.name), "", raw, f, "flap"); err != nil {
			return nil, err
		}
		if v, ok := raw["toxicity"]; ok && strings.TrimSpace(string(v)) == "0" {
			return nil, &FieldError{Field: "toxicity", Msg: "0 would hit no connection: give a share in (0,1], or leave it out for all"}
		}
		return f, nil
	}
}

func decodeProtocol(raw map[string]json.RawMessage) (Fault, error) {
	b, err := json.Marshal(raw)
	if err != nil {
		return nil, fmt.Errorf("re-encode the fault: %w", err)
	}
	f, err := control.DecodeFault(b)
	if err != nil {
		return nil, err
	}
	return &Protocol{Fault: f}, nil
}

// Decode reads a fault from its JSON form: an object with "type", the fields that type
// takes, and the modifiers "flap": {"period"} (any type) and "ramp": {"from", "to",
// "steps", "over"} (protocol types). Durations are strings like "500ms" (or numbers of
// seconds). The fault is validated; every error is a *FieldError naming the field, so a
// loader can point at the line it came from.
func Decode(data []byte) (Fault, error) {
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(data, &raw); err != nil {
		return nil, &FieldError{Msg: fmt.Sprintf("want a mapping like {type: latency, latency: 500ms}: %v", err)}
	}
	t, err := lookupRaw(raw)
	if err != nil {
		return nil, err
	}
	flap, ramp := raw["flap"], raw["ramp"]
	delete(raw, "flap")
	delete(raw, "ramp")
	f, err := t.decode(raw)
	if err != nil {
		return nil, err
	}
	if ramp != nil {
		if f, err = decodeRamp(t, ramp, f); err != nil {
			return nil, err
		}
	}
	if flap != nil {
		fl := &Flap{Fault: f}
		if err := decodeModifier("flap", flap, fl); err != nil {
			return nil, err
		}
		f = fl
	}
	return f, Validate(f)
}

// lookupRaw finds the type raw names.
func lookupRaw(raw map[string]json.RawMessage) (Type, error) {
	var name string
	if v, ok := raw["type"]; !ok {
		return Type{}, &FieldError{Field: "type", Msg: "missing: say which fault (" + typeList() + ")"}
	} else if err := json.Unmarshal(v, &name); err != nil {
		return Type{}, &FieldError{Field: "type", Msg: fmt.Sprintf("%s: want a name (%s)", v, typeList())}
	}
	t, ok := Lookup(name)
	if !ok {
		return Type{}, &FieldError{Field: "type", Msg: fmt.Sprintf("unknown fault type %q (%s)", name, typeList())}
	}
	return t, nil
}

func decodeRamp(t Type, raw json.RawMessage, f Fault) (Fault, error) {
	p, ok := f.(*Protocol)
	if t.Family != FamilyProtocol || !ok {
		return nil, &FieldError{Field: "ramp", Msg: fmt.Sprintf("%s is a network fault: ramp moves a protocol fault's share of requests (use flap to switch a network fault on and off)", t.Name)}
	}
	r := &Ramp{Fault: p.Fault}
	if err := decodeModifier("ramp", raw, r); err != nil {
		return nil, err
	}
	return r, nil
}

// decodeModifier reads the mapping of a modifier (ramp, flap) into dst's tagged fields.
func decodeModifier(name string, raw json.RawMessage, dst any) error {
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(raw, &fields); err != nil {
		return &FieldError{Field: name, Msg: fmt.Sprintf("want a mapping like %s", modifierExample(name))}
	}
	return decodeFields(name, name+".", fields, dst)
}

func modifierExample(name string) string {
	if name == "ramp" {
		return "{from: 0.1, to: 0.5, steps: 4}"
	}
	return "{period: 4s}"
}

// typeList names the registered types by family, for messages.
func typeList() string {
	var network, protocol []string
	for _, t := range Types() {
		if t.Family == FamilyNetwork {
			network = append(network, t.Name)
		} else {
			protocol = append(protocol, t.Name)
		}
	}
	return "network: " + strings.Join(network, ", ") + "; protocol: " + strings.Join(protocol, ", ")
}
