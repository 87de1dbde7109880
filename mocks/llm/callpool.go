package llm

import "sync"

// callPool recycles calls and the backing arrays of their tokens: a call lives for one
// request (nothing keeps it once the answer is written), and a new one per request
// was two allocations, one of them a slice of pointers the collector scans.
type callPool struct{ p sync.Pool }

// maxPooledTokens is the largest token slice a pooled call keeps (an answer of 4,094
// words); larger ones are left to the collector.
const maxPooledTokens = 4096

// get returns a call to fill: a recycled one (its toks empty, with capacity) or a new one.
func (p *callPool) get() *call {
	if c, ok := p.p.Get().(*call); ok {
		return c
	}
	return new(call)
}

// put recycles c; c must not be used after.
func (p *callPool) put(c *call) {
	toks := c.toks
	clear(toks) // the head and end marker strings are the request's own
	if cap(toks) > maxPooledTokens {
		toks = nil
	}
	*c = call{toks: toks[:0]}
	p.p.Put(c)
}
