package llm

import (
	"net/http"
	"net/url"
	"strings"
)

// surfaceRoute picks the dialect of a completion request to one of the cloud surfaces'
// paths, and reports whether r is one:
//
//	POST /v1beta/models/{model}:generateContent         Gemini (also /v1/models/...)
//	POST /v1beta/models/{model}:streamGenerateContent   Gemini, SSE with alt=sse, else a JSON array
//	POST /model/{modelId}/converse                      Bedrock Converse
//	POST /model/{modelId}/converse-stream               Bedrock ConverseStream (event stream)
//	POST /openai/deployments/{deployment}/chat/completions?api-version=...   Azure OpenAI
//	POST /openai/v1/chat/completions                    Azure OpenAI, the v1 API
//	POST /openai/v1/responses, /openai/responses        the Responses API on Azure
//
// A route that is only half right (an Azure deployment path without api-version) gets
// the provider's error as its dialect's bad request (azureDialect.missingVersion).
func surfaceRoute(r *http.Request) (dialect, bool) {
	if r.Method != http.MethodPost {
		return nil, false
	}
	p := r.URL.Path
	switch {
	case strings.HasPrefix(p, "/v1beta/models/"), strings.HasPrefix(p, "/v1/models/"):
		return geminiRoute(r, p)
	case strings.HasPrefix(p, "/model/"):
		return bedrockRoute(r.URL.EscapedPath())
	case strings.HasPrefix(p, "/openai/"):
		return azureRoute(r, p)
	}
	return nil, false
}

// geminiRoute reads models/{model}:{method}.
func geminiRoute(r *http.Request, p string) (dialect, bool) {
	rest := p[strings.Index(p, "/models/")+len("/models/"):]
	i := strings.LastIndexByte(rest, ':')
	if i <= 0 {
		return nil, false
	}
	model, method := rest[:i], rest[i+1:]
	switch method {
	case "generateContent":
		return geminiDialect{model: model}, true
	case "streamGenerateContent":
		return geminiDialect{model: model, stream: true, sse: r.URL.Query().Get("alt") == "sse"}, true
	}
	return nil, false
}

// bedrockRoute reads /model/{modelId}/converse[-stream] from the escaped path: a model
// ARN holds '/', which the SDKs send as %2F.
func bedrockRoute(escaped string) (dialect, bool) {
	rest := strings.TrimPrefix(escaped, "/model/")
	var stream bool
	switch {
	case strings.HasSuffix(rest, "/converse-stream"):
		rest, stream = strings.TrimSuffix(rest, "/converse-stream"), true
	case strings.HasSuffix(rest, "/converse"):
		rest = strings.TrimSuffix(rest, "/converse")
	default:
		return nil, false
	}
	model, err := url.PathUnescape(rest)
	if err != nil || model == "" {
		return nil, false
	}
	return bedrockDialect{model: model, stream: stream}, true
}

// azureRoute reads the deployment and v1 routes of Azure OpenAI.
func azureRoute(r *http.Request, p string) (dialect, bool) {
	switch {
	case p == "/openai/v1/chat/completions":
		return azureDialect{}, true
	case p == "/openai/v1/responses", p == "/openai/responses":
		return responsesDialect{}, true
	case strings.HasPrefix(p, "/openai/deployments/") && strings.HasSuffix(p, "/chat/completions"):
		dep := strings.TrimSuffix(strings.TrimPrefix(p, "/openai/deployments/"), "/chat/completions")
		if dep == "" || strings.Contains(dep, "/") {
			return nil, false
		}
		return azureDialect{deployment: dep, version: r.URL.Query().Get("api-version"), deploymentRoute: true}, true
	}
	return nil, false
}
