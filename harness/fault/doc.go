// Package fault is llmchaos's fault registry: every fault type is defined once here,
// with its name, its fields, its validation and its decoding, and the YAML loader
// (package scenarios), the Go API and (through mocks/control, for protocol faults) the
// mocks' admin API all go through it.
//
// Two families share one interface, Fault, applied to a Target (one upstream):
//   - network faults, played by the Toxiproxy proxy in front of the upstream: Down,
//     Latency, Blackhole, Reset, Bandwidth, SlowClose, Slicer, LimitData. Their fields are
//     the struct fields tagged `fault:"name"`: the registry reads them from the Go types.
//   - protocol faults, played by the upstream's mock: Protocol wraps a control.Fault,
//     whose types and fields mocks/control defines (control.Types); the constructors
//     (Status, RateLimited, Overloaded, PartialErrors, StreamError, ...) build them.
//
// Ramp (an error rate that changes over its phase) and Flap (a fault that comes and goes)
// wrap the others; in YAML and JSON they are the modifiers ramp: {from, to, steps} and
// flap: {period}.
//
// Types lists the registry, Lookup finds a type, Decode reads a fault from its JSON form
// ({"type": "latency", "latency": "500ms", "flap": {"period": "4s"}}), and Validate checks
// a fault built in Go the same way, so a bad field is an error before a run starts,
// naming the field (a *FieldError) as YAML writes it.
//
// fault imports mocks/control only; package harness imports it.
package fault
