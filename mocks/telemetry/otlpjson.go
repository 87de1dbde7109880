package telemetry

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
)

// idLengths are the byte lengths of OTLP's id fields, by their JSON names (protojson
// accepts both lowerCamelCase and the proto names).
var idLengths = map[string]int{
	"traceId": 16, "trace_id": 16,
	"spanId": 8, "span_id": 8,
	"parentSpanId": 8, "parent_span_id": 8,
}

// hexIDsToBase64 rewrites an OTLP/JSON body so protojson can read it: OTLP/JSON writes
// trace and span ids (spans, span links, log records, exemplars) as hex, where protojson
// expects bytes fields in base64. Every id field in OTLP is one of idLengths' names, and
// no other OTLP field has those names, so the whole tree is rewritten by key.
func hexIDsToBase64(data []byte) ([]byte, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber() // keep 64-bit integers exact
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	if dec.More() {
		return nil, errors.New("data after the top-level JSON value")
	}
	if _, ok := v.(map[string]any); !ok {
		return nil, errors.New("the export must be a JSON object")
	}
	if err := rewriteIDs(v); err != nil {
		return nil, err
	}
	return json.Marshal(v)
}

func rewriteIDs(v any) error {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			if size, ok := idLengths[k]; ok {
				b64, err := hexID(k, e, size)
				if err != nil {
					return err
				}
				x[k] = b64
				continue
			}
			if err := rewriteIDs(e); err != nil {
				return err
			}
		}
	case []any:
		for _, e := range x {
			if err := rewriteIDs(e); err != nil {
				return err
			}
		}
	}
	return nil
}

func hexID(key string, v any, size int) (any, error) {
	if v == nil {
		return nil, nil
	}
	s, ok := v.(string)
	if !ok {
		return nil, fmt.Errorf("%s must be a hex string", key)
	}
	if s == "" {
		return "", nil
	}
	if len(s) != 2*size {
		return nil, fmt.Errorf("%s %q must be %d hex digits", key, s, 2*size)
	}
	b, err := hex.DecodeString(s)
	if err != nil {
		return nil, fmt.Errorf("%s %q is not hex: %w", key, s, err)
	}
	return base64.StdEncoding.EncodeToString(b), nil
}
