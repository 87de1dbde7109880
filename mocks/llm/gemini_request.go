package llm

import (
	"encoding/json"
	"net/http"
	"strconv"
)

// geminiBody is what the mock reads of a generateContent request (the model is in the path).
type geminiBody struct {
	Contents          *[]geminiContent `json:"contents"`
	SystemInstruction *geminiContent   `json:"systemInstruction"`
	Tools             []struct {
		FunctionDeclarations []struct {
			Name                 string          `json:"name"`
			Parameters           json.RawMessage `json:"parameters"`
			ParametersJSONSchema json.RawMessage `json:"parametersJsonSchema"`
		} `json:"functionDeclarations"`
	} `json:"tools"`
	ToolConfig *struct {
		FunctionCallingConfig *struct {
			Mode                 string   `json:"mode"`
			AllowedFunctionNames []string `json:"allowedFunctionNames"`
		} `json:"functionCallingConfig"`
	} `json:"toolConfig"`
}

// geminiContent is one turn: a role (user, model, function) and its parts (text,
// functionCall, functionResponse, inlineData, ...).
type geminiContent struct {
	Role  string          `json:"role"`
	Parts json.RawMessage `json:"parts"`
}

func geminiInvalid(msg string) *apiError {
	return &apiError{status: http.StatusBadRequest, typ: "INVALID_ARGUMENT", msg: msg}
}

// parseGemini reads a generateContent request: contents (the last user turn without a
// functionResponse carries the tag), systemInstruction, tools' functionDeclarations
// (parameters, an OpenAPI schema with upper-case types, or parametersJsonSchema) and
// toolConfig.functionCallingConfig (AUTO, ANY, NONE, VALIDATED; allowedFunctionNames).
func parseGemini(body []byte) (chatRequest, *apiError) {
	var b geminiBody
	if err := json.Unmarshal(body, &b); err != nil {
		return chatRequest{}, geminiInvalid("Invalid JSON payload received. " + err.Error())
	}
	if b.Contents == nil || len(*b.Contents) == 0 {
		return chatRequest{}, geminiInvalid("* GenerateContentRequest.contents: contents is not specified\n")
	}
	var r chatRequest
	if b.SystemInstruction != nil {
		r.promptBytes += len(b.SystemInstruction.Parts)
	}
	for _, c := range *b.Contents {
		r.promptBytes += len(c.Parts)
		r.toolResult = c.Role == "function" || (c.Role == "user" || c.Role == "") && hasBlock(c.Parts, "functionResponse")
		if (c.Role == "user" || c.Role == "") && !r.toolResult {
			r.lastUser = c.Parts
		}
	}
	if bad := parseGeminiTools(&r, &b); bad != nil {
		return chatRequest{}, bad
	}
	return r, nil
}

// parseGeminiTools reads the function declarations and the function-calling mode.
func parseGeminiTools(r *chatRequest, b *geminiBody) *apiError {
	for i, t := range b.Tools {
		for j, fd := range t.FunctionDeclarations {
			if fd.Name == "" {
				return geminiInvalid("* GenerateContentRequest.tools[" + strconv.Itoa(i) + "].function_declarations[" + strconv.Itoa(j) + "].name: Name cannot be empty.\n")
			}
			schema := fd.ParametersJSONSchema
			if schema == nil {
				schema = fd.Parameters
			}
			r.tools = append(r.tools, toolSpec{name: fd.Name, schema: schema})
		}
	}
	if len(r.tools) > 0 {
		r.parallel = true
	}
	if b.ToolConfig == nil || b.ToolConfig.FunctionCallingConfig == nil {
		return nil
	}
	fc := b.ToolConfig.FunctionCallingConfig
	switch fc.Mode {
	case "", "AUTO", "MODE_UNSPECIFIED":
	case "NONE":
		r.toolChoice.mode = choiceNone
	case "ANY", "VALIDATED":
		r.toolChoice.mode = choiceRequired
		if len(fc.AllowedFunctionNames) == 1 {
			r.toolChoice = toolChoice{mode: choiceNamed, name: fc.AllowedFunctionNames[0]}
		}
	default:
		return geminiInvalid("Invalid value at 'tool_config.function_calling_config.mode' (type.googleapis.com/google.ai.generativelanguage.v1beta.FunctionCallingConfig.Mode), \"" + fc.Mode + "\"")
	}
	if r.toolChoice.mode == choiceNamed && !r.offers(r.toolChoice.name) {
		return geminiInvalid("* GenerateContentRequest.tool_config.function_calling_config.allowed_function_names: " + r.toolChoice.name + " is not a declared function.\n")
	}
	return nil
}
