package main

import (
	"fmt"
	"strings"
)

// The naive app's defaults; each is overridden by the environment variable named beside it.
const (
	DefaultListenAddr   = "127.0.0.1:8080"                           // LISTEN_ADDR
	DefaultAPIKey       = "test"                                     // OPENAI_API_KEY
	DefaultAWSRegion    = "us-east-1"                                // AWS_REGION (PRIMARY_KIND=bedrock)
	DefaultBedrockModel = "anthropic.claude-3-5-haiku-20241022-v1:0" // BEDROCK_MODEL (PRIMARY_KIND=bedrock)
)

// The provider APIs the naive app can call (PRIMARY_KIND).
const (
	KindOpenAI  = "openai"  // OpenAI Chat Completions through openai-go (the default)
	KindBedrock = "bedrock" // Amazon Bedrock Converse through the AWS SDK (bedrockruntime)
)

// Config is everything the naive app reads from its environment. It has no timeouts,
// no retry policy and no failover on purpose: it is the negative control.
type Config struct {
	ListenAddr   string
	PrimaryURL   string // OpenAI-format base URL without /v1
	OTLPEndpoint string // OTLP/HTTP base URL; empty = no telemetry
	StoreURL     string // history store base URL; empty = no history
	RedisAddr    string // REDIS_ADDR: keep the history in this Redis instead of the store
	OpenAIKey    string
	PrimaryKind  string // KindOpenAI or KindBedrock
	BedrockModel string
	AWSRegion    string
}

// ConfigFromEnv returns the configuration from getenv (pass os.Getenv), or an error
// when PRIMARY_URL is missing.
func ConfigFromEnv(getenv func(string) string) (Config, error) {
	c := Config{ListenAddr: DefaultListenAddr, OpenAIKey: DefaultAPIKey, PrimaryKind: KindOpenAI,
		BedrockModel: DefaultBedrockModel, AWSRegion: DefaultAWSRegion}
	set := func(name string, dst *string, trimSlash bool) {
		if v := strings.TrimSpace(getenv(name)); v != "" {
			if trimSlash {
				v = strings.TrimRight(v, "/")
			}
			*dst = v
		}
	}
	set("LISTEN_ADDR", &c.ListenAddr, false)
	set("PRIMARY_URL", &c.PrimaryURL, true)
	set("OTEL_EXPORTER_OTLP_ENDPOINT", &c.OTLPEndpoint, true)
	set("STORE_URL", &c.StoreURL, true)
	set("REDIS_ADDR", &c.RedisAddr, false)
	set("OPENAI_API_KEY", &c.OpenAIKey, false)
	set("PRIMARY_KIND", &c.PrimaryKind, false)
	set("BEDROCK_MODEL", &c.BedrockModel, false)
	set("AWS_REGION", &c.AWSRegion, false)
	if c.PrimaryKind != KindOpenAI && c.PrimaryKind != KindBedrock {
		return c, fmt.Errorf("config: PRIMARY_KIND=%q: use %s or %s", c.PrimaryKind, KindOpenAI, KindBedrock)
	}
	if c.PrimaryURL == "" {
		return c, fmt.Errorf("config: PRIMARY_URL is empty: set it to the OpenAI-format provider's base URL (without /v1)")
	}
	return c, nil
}
