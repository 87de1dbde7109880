package main

import (
	"net/http"

	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/azure"
	"github.com/openai/openai-go/v3/option"
)

// newAzureProvider returns an Azure OpenAI provider named upstream: openai-go with its
// azure options (the deployment route /openai/deployments/{TERTIARY_MODEL}/..., the
// api-key header, cfg.AzureAPIVersion), retries off; plain http is allowed so it can
// talk to a local mock or proxy.
func newAzureProvider(upstream string, cfg Config, hc *http.Client) *openAIProvider {
	model := cfg.TertiaryModel
	if model == "" {
		model = DefaultAzureDeployment
	}
	return &openAIProvider{
		upstream: upstream,
		model:    model,
		azure:    true,
		client: openai.NewClient(
			azure.WithEndpoint(cfg.TertiaryURL, cfg.AzureAPIVersion),
			azure.WithAPIKey(cfg.TertiaryKey),
			azure.WithUnsafeAllowHTTP(),
			option.WithMaxRetries(0),
			option.WithHTTPClient(hc),
		),
	}
}
