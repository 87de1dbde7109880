// Package harness runs chaos scenarios: it starts mock upstreams behind Toxiproxy (Env),
// starts or reaches the app under test (SUT), plays a Timeline of faults while a Driver
// sends open-loop load, and collects everything into a Result. It judges nothing:
// harness/slo turns a Result into a Verdict.
package harness
