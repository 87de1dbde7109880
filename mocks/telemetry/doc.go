// Package telemetry is an OTLP/HTTP collector mock for llmchaos. It receives traces,
// metrics and logs (protobuf, gzip-compressed or not, and OTLP/JSON with hex ids), counts
// what it received and accepted, journals every export, and can be overloaded on purpose
// through a capacity model (concurrent exports, service time per item, a bounded queue)
// and through protocol faults (status with Retry-After, hang, partial success).
//
// Serve Collector.Handler on a loopback listener: it carries the OTLP routes, the
// control admin API under /_llmchaos/ and the collector's own capacity and counts routes.
package telemetry
