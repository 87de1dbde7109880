package fault

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"sort"
	"strings"
	"time"

	"github.com/llmchaos/llmchaos/mocks/control"
)

// A Go type's fields, as YAML and JSON name them, are its struct fields tagged
// `fault:"name"`: the one declaration the registry, the decoder and the docs read.

// fieldNames lists the `fault` tags of the struct v points to, in declaration order.
func fieldNames(v any) []string {
	t := reflect.TypeOf(v).Elem()
	var out []string
	for i := 0; i < t.NumField(); i++ {
		if name := t.Field(i).Tag.Get("fault"); name != "" {
			out = append(out, name)
		}
	}
	return out
}

// decodeFields sets the tagged fields of the struct dst points to from raw, one key at a
// time: a time.Duration from "500ms" (or a number of seconds), the rest as JSON. A key
// dst has no field for is a FieldError naming it (prefix + key) and listing what what
// takes (its fields, then extra).
func decodeFields(what, prefix string, raw map[string]json.RawMessage, dst any, extra ...string) error {
	v := reflect.ValueOf(dst).Elem()
	byName := map[string]reflect.Value{}
	for i := 0; i < v.NumField(); i++ {
		if name := v.Type().Field(i).Tag.Get("fault"); name != "" {
			byName[name] = v.Field(i)
		}
	}
	keys := make([]string, 0, len(raw))
	for k := range raw {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		field, ok := byName[k]
		if !ok {
			takes := append(fieldNames(dst), extra...)
			return &FieldError{Field: prefix + k, Msg: fmt.Sprintf("%s does not take %s (it takes: %s)", what, k, strings.Join(takes, ", "))}
		}
		if err := decodeValue(raw[k], field); err != nil {
			return &FieldError{Field: prefix + k, Msg: err.Error()}
		}
	}
	return nil
}

// decodeValue reads one JSON value into field.
func decodeValue(raw json.RawMessage, field reflect.Value) error {
	if field.Type() == reflect.TypeFor[time.Duration]() {
		var d control.Duration
		if err := json.Unmarshal(raw, &d); err != nil {
			return fmt.Errorf("%s is not a duration (write it like 500ms, 2s or 1m30s)", raw)
		}
		field.SetInt(int64(d))
		return nil
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(field.Addr().Interface()); err != nil {
		return fmt.Errorf("%s: want a %s", raw, kindWord(field.Kind()))
	}
	return nil
}

func kindWord(k reflect.Kind) string {
	switch k {
	case reflect.String:
		return "string"
	case reflect.Bool:
		return "true or false"
	case reflect.Float32, reflect.Float64:
		return "number"
	default:
		return "whole number"
	}
}
