package main

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// The gateway's defaults; each is overridden by the environment variable named beside it.
const (
	DefaultListenAddr      = "127.0.0.1:8080"                           // LISTEN_ADDR
	DefaultAPIKey          = "test"                                     // OPENAI_API_KEY, ANTHROPIC_API_KEY
	DefaultSecondaryModel  = "claude-sonnet-4-5"                        // SECONDARY_MODEL: the Anthropic model asked for on failover
	DefaultMaxTokens       = 1024                                       // MAX_TOKENS: Anthropic max_tokens when the request sets none
	DefaultAttemptTimeout  = 1500 * time.Millisecond                    // ATTEMPT_TIMEOUT: to the first content chunk (stream) or the whole answer
	DefaultStreamIdle      = 1 * time.Second                            // STREAM_IDLE_TIMEOUT: longest silence between chunks once streaming
	DefaultAttemptTotal    = 30 * time.Second                           // ATTEMPT_TOTAL_TIMEOUT: longest one attempt may take, stream included
	DefaultRequestBudget   = 10 * time.Second                           // REQUEST_BUDGET: time for all attempts before the first byte goes out
	DefaultMaxAttempts     = 3                                          // MAX_ATTEMPTS: upstream attempts per request, failovers included
	DefaultMaxRetryWait    = 1 * time.Second                            // MAX_RETRY_WAIT: longest wait for an upstream's Retry-After before giving up on it
	DefaultRetryRatio      = 0.2                                        // RETRY_BUDGET: same-upstream retries allowed per request (token bucket)
	DefaultRetryBurst      = 10                                         // RETRY_BURST: the retry bucket's size
	DefaultBreakerFailures = 3                                          // BREAKER_FAILURES: consecutive failures that open an upstream's breaker
	DefaultBreakerOpen     = 1 * time.Second                            // BREAKER_OPEN: how long a breaker stays open before probing
	DefaultBreakerProbes   = 1                                          // BREAKER_PROBES: requests let through while half-open
	DefaultStoreTimeout    = 300 * time.Millisecond                     // STORE_TIMEOUT: history GET (PUT gets 3x, off the request path)
	DefaultHistoryLimit    = 20                                         // HISTORY_LIMIT: messages kept per user
	DefaultExportTimeout   = 2 * time.Second                            // OTEL_EXPORT_TIMEOUT: one span batch export
	DefaultSpanQueue       = 2048                                       // OTEL_QUEUE: spans queued before new ones are dropped
	DefaultShutdownTimeout = 5 * time.Second                            // SHUTDOWN_TIMEOUT: drain on SIGTERM
	DefaultTertiaryKind    = KindAzureOpenAI                            // TERTIARY_KIND: the third provider's API (azure-openai or bedrock)
	DefaultAzureDeployment = "gpt-4o-mini"                              // TERTIARY_MODEL for azure-openai: the deployment
	DefaultBedrockModel    = "anthropic.claude-3-5-haiku-20241022-v1:0" // TERTIARY_MODEL for bedrock: the modelId
	DefaultAzureAPIVersion = "2024-10-21"                               // AZURE_API_VERSION: the api-version query parameter
	DefaultAWSRegion       = "us-east-1"                                // AWS_REGION: the region Bedrock requests are signed for
	DefaultProviderOrder   = "primary,secondary,tertiary"               // PROVIDER_ORDER: the order upstreams are preferred in
)

// The third provider's kinds (TERTIARY_KIND).
const (
	KindAzureOpenAI = "azure-openai" // Azure OpenAI through openai-go/azure (the deployment route)
	KindBedrock     = "bedrock"      // Amazon Bedrock Converse through the AWS SDK (bedrockruntime)
)

// Config is everything the gateway reads from its environment.
type Config struct {
	ListenAddr      string
	PrimaryURL      string // OpenAI-format base URL without /v1
	SecondaryURL    string // Anthropic-format base URL without /v1; empty = none
	TertiaryURL     string // the third provider's endpoint (Azure resource or Bedrock runtime URL); empty = none
	TertiaryKind    string // KindAzureOpenAI or KindBedrock
	TertiaryModel   string // the Azure deployment or the Bedrock modelId; empty = the kind's default
	TertiaryKey     string // AZURE_OPENAI_API_KEY (azure-openai); Bedrock signs with AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY
	AzureAPIVersion string
	AWSRegion       string
	AWSAccessKey    string
	AWSSecretKey    string
	ProviderOrder   []string // upstream names (primary, secondary, tertiary) in order of preference
	OTLPEndpoint    string   // OTLP/HTTP base URL; empty = no telemetry
	StoreURL        string   // history store base URL; empty = no history
	RedisAddr       string   // REDIS_ADDR: keep the history in this Redis (host:port) instead of the store
	OpenAIKey       string
	AnthropicKey    string
	SecondaryModel  string
	MaxTokens       int64
	AttemptTimeout  time.Duration
	StreamIdle      time.Duration
	AttemptTotal    time.Duration
	RequestBudget   time.Duration
	MaxAttempts     int
	MaxRetryWait    time.Duration
	RetryRatio      float64
	RetryBurst      float64
	BreakerFailures uint32
	BreakerOpen     time.Duration
	BreakerProbes   uint32
	StoreTimeout    time.Duration
	HistoryLimit    int
	ExportTimeout   time.Duration
	SpanQueue       int
	ShutdownTimeout time.Duration
}

// DefaultConfig returns the configuration with every default and no upstreams.
func DefaultConfig() Config {
	return Config{
		ListenAddr: DefaultListenAddr, OpenAIKey: DefaultAPIKey, AnthropicKey: DefaultAPIKey,
		SecondaryModel: DefaultSecondaryModel, MaxTokens: DefaultMaxTokens,
		AttemptTimeout: DefaultAttemptTimeout, StreamIdle: DefaultStreamIdle, AttemptTotal: DefaultAttemptTotal,
		RequestBudget: DefaultRequestBudget, MaxAttempts: DefaultMaxAttempts, MaxRetryWait: DefaultMaxRetryWait,
		RetryRatio: DefaultRetryRatio, RetryBurst: DefaultRetryBurst,
		BreakerFailures: DefaultBreakerFailures, BreakerOpen: DefaultBreakerOpen, BreakerProbes: DefaultBreakerProbes,
		StoreTimeout: DefaultStoreTimeout, HistoryLimit: DefaultHistoryLimit,
		ExportTimeout: DefaultExportTimeout, SpanQueue: DefaultSpanQueue, ShutdownTimeout: DefaultShutdownTimeout,
		TertiaryKind: DefaultTertiaryKind, TertiaryKey: DefaultAPIKey, AzureAPIVersion: DefaultAzureAPIVersion,
		AWSRegion: DefaultAWSRegion, AWSAccessKey: "llmchaos-example", AWSSecretKey: "llmchaos-example",
		ProviderOrder: strings.Split(DefaultProviderOrder, ","),
	}
}

// ConfigFromEnv returns the defaults overridden by the variables getenv knows
// (pass os.Getenv), or an error naming the variable that does not parse.
func ConfigFromEnv(getenv func(string) string) (Config, error) {
	c := DefaultConfig()
	p := envParser{getenv: getenv}
	p.str("LISTEN_ADDR", &c.ListenAddr)
	p.url("PRIMARY_URL", &c.PrimaryURL)
	p.url("SECONDARY_URL", &c.SecondaryURL)
	p.url("TERTIARY_URL", &c.TertiaryURL)
	p.str("TERTIARY_KIND", &c.TertiaryKind)
	p.str("TERTIARY_MODEL", &c.TertiaryModel)
	p.str("AZURE_OPENAI_API_KEY", &c.TertiaryKey)
	p.str("AZURE_API_VERSION", &c.AzureAPIVersion)
	p.str("AWS_REGION", &c.AWSRegion)
	p.str("AWS_ACCESS_KEY_ID", &c.AWSAccessKey)
	p.str("AWS_SECRET_ACCESS_KEY", &c.AWSSecretKey)
	if v, ok := p.raw("PROVIDER_ORDER"); ok {
		c.ProviderOrder = strings.Split(v, ",")
	}
	p.url("OTEL_EXPORTER_OTLP_ENDPOINT", &c.OTLPEndpoint)
	p.url("STORE_URL", &c.StoreURL)
	p.str("REDIS_ADDR", &c.RedisAddr)
	p.str("OPENAI_API_KEY", &c.OpenAIKey)
	p.str("ANTHROPIC_API_KEY", &c.AnthropicKey)
	p.str("SECONDARY_MODEL", &c.SecondaryModel)
	p.int64("MAX_TOKENS", &c.MaxTokens)
	p.dur("ATTEMPT_TIMEOUT", &c.AttemptTimeout)
	p.dur("STREAM_IDLE_TIMEOUT", &c.StreamIdle)
	p.dur("ATTEMPT_TOTAL_TIMEOUT", &c.AttemptTotal)
	p.dur("REQUEST_BUDGET", &c.RequestBudget)
	var n int64
	if p.int64("MAX_ATTEMPTS", &n) {
		c.MaxAttempts = int(n)
	}
	p.dur("MAX_RETRY_WAIT", &c.MaxRetryWait)
	p.float("RETRY_BUDGET", &c.RetryRatio)
	p.float("RETRY_BURST", &c.RetryBurst)
	if p.int64("BREAKER_FAILURES", &n) {
		c.BreakerFailures = uint32(n)
	}
	p.dur("BREAKER_OPEN", &c.BreakerOpen)
	if p.int64("BREAKER_PROBES", &n) {
		c.BreakerProbes = uint32(n)
	}
	p.dur("STORE_TIMEOUT", &c.StoreTimeout)
	if p.int64("HISTORY_LIMIT", &n) {
		c.HistoryLimit = int(n)
	}
	p.dur("OTEL_EXPORT_TIMEOUT", &c.ExportTimeout)
	if p.int64("OTEL_QUEUE", &n) {
		c.SpanQueue = int(n)
	}
	p.dur("SHUTDOWN_TIMEOUT", &c.ShutdownTimeout)
	if p.err != nil {
		return c, p.err
	}
	if c.PrimaryURL == "" {
		return c, fmt.Errorf("config: PRIMARY_URL is empty: set it to the OpenAI-format provider's base URL (without /v1)")
	}
	if err := c.checkProviders(); err != nil {
		return c, err
	}
	if c.MaxAttempts < 1 || c.BreakerFailures < 1 || c.BreakerProbes < 1 {
		return c, fmt.Errorf("config: MAX_ATTEMPTS, BREAKER_FAILURES and BREAKER_PROBES must be at least 1")
	}
	return c, nil
}

// checkProviders checks TERTIARY_KIND and PROVIDER_ORDER: each name once, each one of
// primary, secondary, tertiary (a name whose URL is empty is skipped when serving).
func (c *Config) checkProviders() error {
	if c.TertiaryKind != KindAzureOpenAI && c.TertiaryKind != KindBedrock {
		return fmt.Errorf("config: TERTIARY_KIND=%q: use %s or %s", c.TertiaryKind, KindAzureOpenAI, KindBedrock)
	}
	seen := map[string]bool{}
	for i, name := range c.ProviderOrder {
		name = strings.TrimSpace(name)
		c.ProviderOrder[i] = name
		switch {
		case name != "primary" && name != "secondary" && name != "tertiary":
			return fmt.Errorf("config: PROVIDER_ORDER names %q: use primary, secondary and tertiary, comma-separated", name)
		case seen[name]:
			return fmt.Errorf("config: PROVIDER_ORDER names %q twice", name)
		}
		seen[name] = true
	}
	return nil
}

// envParser reads typed variables and keeps the first error.
type envParser struct {
	getenv func(string) string
	err    error
}

func (p *envParser) raw(name string) (string, bool) {
	v := strings.TrimSpace(p.getenv(name))
	return v, v != ""
}

func (p *envParser) fail(name, v string, err error) {
	if p.err == nil {
		p.err = fmt.Errorf("config: %s=%q: %w", name, v, err)
	}
}

func (p *envParser) str(name string, dst *string) {
	if v, ok := p.raw(name); ok {
		*dst = v
	}
}

// url reads a base URL and drops a trailing slash.
func (p *envParser) url(name string, dst *string) {
	if v, ok := p.raw(name); ok {
		*dst = strings.TrimRight(v, "/")
	}
}

// dur reads a Go duration ("1500ms") or a number of milliseconds ("1500").
func (p *envParser) dur(name string, dst *time.Duration) {
	v, ok := p.raw(name)
	if !ok {
		return
	}
	if ms, err := strconv.ParseInt(v, 10, 64); err == nil {
		*dst = time.Duration(ms) * time.Millisecond
		return
	}
	d, err := time.ParseDuration(v)
	if err != nil || d < 0 {
		p.fail(name, v, fmt.Errorf("want a duration like 1500ms: %v", err))
		return
	}
	*dst = d
}

func (p *envParser) int64(name string, dst *int64) bool {
	v, ok := p.raw(name)
	if !ok {
		return false
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n < 0 {
		p.fail(name, v, fmt.Errorf("want a non-negative integer"))
		return false
	}
	*dst = n
	return true
}

func (p *envParser) float(name string, dst *float64) {
	v, ok := p.raw(name)
	if !ok {
		return
	}
	f, err := strconv.ParseFloat(v, 64)
	if err != nil || f < 0 {
		p.fail(name, v, fmt.Errorf("want a non-negative number"))
		return
	}
	*dst = f
}
