// Package control holds what every llmchaos mock shares: the journal of attempts,
// the scope that decides which requests a fault hits, and the admin HTTP API that
// sets and clears faults at run time. It imports nothing else of the project.
package control
