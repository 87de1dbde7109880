package harness

import (
	"io"

	"github.com/llmchaos/llmchaos/mocks/control"
)

// DefaultSeed is the seed mocks get when no WithSeed option is given.
const DefaultSeed int64 = 1

// EnvOption configures NewEnv.
type EnvOption func(*envConfig)

type envConfig struct {
	seed        int64
	toxiproxy   string
	toxiLog     io.Writer
	mockFactory MockFactory
}

// MockFactory builds the mock that serves one upstream. NewEnv serves what it returns on
// a loopback listener (with control.WithAdmin) and closes it on Env.Close when it is an
// io.Closer.
type MockFactory func(spec UpstreamSpec, seed int64) (control.Mock, error)

// WithSeed seeds the mocks (answers and fault scopes) so a run is reproducible.
func WithSeed(seed int64) EnvOption { return func(c *envConfig) { c.seed = seed } }

// WithToxiproxy uses the Toxiproxy server whose HTTP API is at apiURL (e.g.
// "http://127.0.0.1:8474") instead of the embedded one. The Env's proxies get unique
// names and are deleted on Close.
func WithToxiproxy(apiURL string) EnvOption { return func(c *envConfig) { c.toxiproxy = apiURL } }

// WithToxiproxyLog sends the embedded Toxiproxy's warnings and errors to w; by default
// they are discarded (it warns on every normal connection close).
func WithToxiproxyLog(w io.Writer) EnvOption { return func(c *envConfig) { c.toxiLog = w } }

// WithMockFactory replaces how mocks are built (DefaultMockFactory): for tests, or to
// put a custom dependency behind a proxy.
func WithMockFactory(f MockFactory) EnvOption { return func(c *envConfig) { c.mockFactory = f } }
