package control

import (
	"encoding/json"
	"fmt"
)

// decodeAdminFault is DecodeFault plus the deprecated keys of the first admin API, so
// clients written for it keep working: "mode" (the mock's mode; "slow" is slow-tokens)
// stands for "type", and the booleans "retry_after_ms" and "retry_after_date" for
// "retry_after_as": "ms" / "date". New clients should send the vocabulary of Types.
func decodeAdminFault(data []byte) (Fault, error) {
	var raw map[string]json.RawMessage
	if json.Unmarshal(data, &raw) != nil {
		return DecodeFault(data) // it says what is wrong
	}
	changed, err := rewriteLegacyMode(raw)
	if err != nil {
		return Fault{}, err
	}
	as, err := rewriteLegacyRetryAfter(raw)
	if err != nil {
		return Fault{}, err
	}
	if !changed && !as {
		return DecodeFault(data)
	}
	b, err := json.Marshal(raw)
	if err != nil {
		return Fault{}, fmt.Errorf("re-encode the fault: %w", err)
	}
	return DecodeFault(b)
}

// rewriteLegacyMode turns "mode" into "type".
func rewriteLegacyMode(raw map[string]json.RawMessage) (bool, error) {
	m, ok := raw["mode"]
	if !ok {
		return false, nil
	}
	if _, both := raw["type"]; both {
		return false, &FieldError{Field: "mode", Msg: "give type, not both type and the deprecated mode"}
	}
	var mode Mode
	if err := json.Unmarshal(m, &mode); err != nil {
		return false, &FieldError{Field: "mode", Msg: "want a string; mode is deprecated, send type (e.g. \"type\": \"status\")"}
	}
	t := FaultType(mode)
	if mode == ModeSlow {
		t = TypeSlowTokens
	}
	delete(raw, "mode")
	raw["type"], _ = json.Marshal(t)
	return true, nil
}

// rewriteLegacyRetryAfter turns retry_after_ms / retry_after_date: true into retry_after_as.
func rewriteLegacyRetryAfter(raw map[string]json.RawMessage) (bool, error) {
	var as RetryAfterFormat
	changed := false
	for key, format := range map[string]RetryAfterFormat{"retry_after_ms": RetryAfterMs, "retry_after_date": RetryAfterDate} {
		v, ok := raw[key]
		if !ok {
			continue
		}
		var on bool
		if err := json.Unmarshal(v, &on); err != nil {
			return false, &FieldError{Field: key, Msg: "want true or false; it is deprecated, send retry_after_as"}
		}
		delete(raw, key)
		changed = true
		if !on {
			continue
		}
		if as != "" {
			return false, &FieldError{Field: "retry_after_as", Msg: "retry_after_ms and retry_after_date together: send one retry_after_as (seconds, date or ms)"}
		}
		as = format
	}
	if as == "" {
		return changed, nil
	}
	if _, both := raw["retry_after_as"]; both {
		return false, &FieldError{Field: "retry_after_as", Msg: "give retry_after_as, not it and a deprecated retry_after_ms/retry_after_date"}
	}
	raw["retry_after_as"], _ = json.Marshal(as)
	return true, nil
}
