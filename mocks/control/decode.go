package control

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
)

// DecodeFault reads a fault from its JSON form, strictly: an object with "type" and the
// fields that type takes (see Types), nothing else. The result is validated. Every error
// is a *FieldError naming the field ("type" for an unknown, missing or network type).
func DecodeFault(data []byte) (Fault, error) {
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(data, &raw); err != nil {
		return Fault{}, &FieldError{Msg: fmt.Sprintf("want a JSON object like {\"type\": \"rate-limit\", \"retry_after\": \"2s\"}: %v", err)}
	}
	var f Fault
	if v, ok := raw["type"]; ok {
		if err := json.Unmarshal(v, &f.Type); err != nil {
			return Fault{}, &FieldError{Field: "type", Msg: "want a string such as \"rate-limit\""}
		}
	}
	t, err := lookupForMock(f.Type)
	if err != nil {
		return Fault{}, err
	}
	values := f.fieldValues()
	for _, k := range sortedKeys(raw) {
		if k == "type" {
			continue
		}
		if !t.takes(k) {
			return Fault{}, &FieldError{Field: k, Msg: t.notTaken(k)}
		}
		v := values[k]
		dec := json.NewDecoder(bytes.NewReader(raw[k]))
		dec.DisallowUnknownFields()
		if err := dec.Decode(v.Addr().Interface()); err != nil {
			return Fault{}, &FieldError{Field: k, Msg: fmt.Sprintf("%s: %v", raw[k], err)}
		}
	}
	return f, f.Validate()
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
