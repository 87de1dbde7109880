package control

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestDecodeFaultEveryType(t *testing.T) {
	yes := true
	cases := map[FaultType]struct {
		json string
		want Fault
	}{
		TypeStatus:         {`{"type":"status","status":503,"retry_after":"2s","retry_after_as":"date","should_retry":true}`, Fault{Type: TypeStatus, Status: 503, RetryAfter: Duration(2 * time.Second), RetryAfterAs: RetryAfterDate, ShouldRetry: &yes}},
		TypeRateLimit:      {`{"type":"rate-limit","retry_after":"2s","retry_after_as":"ms","fraction":0.3}`, Fault{Type: TypeRateLimit, RetryAfter: Duration(2 * time.Second), RetryAfterAs: RetryAfterMs, Scope: Scope{Fraction: 0.3}}},
		TypeOverloaded:     {`{"type":"overloaded"}`, Fault{Type: TypeOverloaded}},
		TypePartialErrors:  {`{"type":"partial-errors","status":500,"fraction":0.5,"seed":7}`, Fault{Type: TypePartialErrors, Status: 500, Scope: Scope{Fraction: 0.5, Seed: 7}}},
		TypeStreamError:    {`{"type":"stream-error","after_chunks":3}`, Fault{Type: TypeStreamError, AfterChunks: 3}},
		TypeTruncate:       {`{"type":"truncate","after_chunks":3,"first_n":10}`, Fault{Type: TypeTruncate, AfterChunks: 3, Scope: Scope{FirstN: 10}}},
		TypeStall:          {`{"type":"stall","keepalive":"5s"}`, Fault{Type: TypeStall, Keepalive: Duration(5 * time.Second)}},
		TypeMalformed:      {`{"type":"malformed","after_chunks":2}`, Fault{Type: TypeMalformed, AfterChunks: 2}},
		TypeSlowTokens:     {`{"type":"slow-tokens","ttft":"2s","token_delay":"50ms"}`, Fault{Type: TypeSlowTokens, TTFT: Duration(2 * time.Second), TokenDelay: Duration(50 * time.Millisecond)}},
		TypeNoUsage:        {`{"type":"no-usage"}`, Fault{Type: TypeNoUsage}},
		TypeHang:           {`{"type":"hang","hold":"5s"}`, Fault{Type: TypeHang, Hold: Duration(5 * time.Second)}},
		TypePartialSuccess: {`{"type":"partial-success","reject_fraction":0.25}`, Fault{Type: TypePartialSuccess, RejectFraction: 0.25}},
		TypeToolCallCut:    {`{"type":"tool-call-cut","cut_at":"name","first_n":2}`, Fault{Type: TypeToolCallCut, CutAt: CutAtName, Scope: Scope{FirstN: 2}}},
		TypeResponseFailed: {`{"type":"response-failed","after_chunks":2}`, Fault{Type: TypeResponseFailed, AfterChunks: 2}},
		TypeResponseIncomplete: {`{"type":"response-incomplete","reason":"content_filter","after_chunks":4}`,
			Fault{Type: TypeResponseIncomplete, Reason: ReasonContentFilter, AfterChunks: 4}},
		TypeContextLength:     {`{"type":"context-length","fraction":0.5,"seed":3}`, Fault{Type: TypeContextLength, Scope: Scope{Fraction: 0.5, Seed: 3}}},
		TypeContentFilter:     {`{"type":"content-filter","filtered":"output","after_chunks":3}`, Fault{Type: TypeContentFilter, Filtered: FilterOutput, AfterChunks: 3}},
		TypeInsufficientQuota: {`{"type":"insufficient-quota","should_retry":true}`, Fault{Type: TypeInsufficientQuota, ShouldRetry: &yes}},
		TypeInvalidKey:        {`{"type":"invalid-key"}`, Fault{Type: TypeInvalidKey}},
		TypeModelNotFound:     {`{"type":"model-not-found","first_n":1}`, Fault{Type: TypeModelNotFound, Scope: Scope{FirstN: 1}}},
		TypeQuota:             {`{"type":"quota","requests_per_minute":60,"tokens_per_minute":4000}`, Fault{Type: TypeQuota, RequestsPerMinute: 60, TokensPerMinute: 4000}},
	}
	if len(cases) != len(Types()) {
		t.Fatalf("%d cases for %d types: add the new type here", len(cases), len(Types()))
	}
	for _, info := range Types() {
		c, ok := cases[info.Type]
		if !ok {
			t.Errorf("no case for %s", info.Type)
			continue
		}
		f, err := DecodeFault([]byte(c.json))
		if err != nil {
			t.Errorf("%s: %v", info.Type, err)
			continue
		}
		if got, want := f, c.want; !faultEqual(got, want) {
			t.Errorf("%s: decoded %+v, want %+v", info.Type, got, want)
		}
		if f.Mode() != info.Mode {
			t.Errorf("%s: mode %q, want %q", info.Type, f.Mode(), info.Mode)
		}
	}
	if got := (Fault{Type: TypeRateLimit}).StatusCode(); got != 429 {
		t.Errorf("rate-limit status %d", got)
	}
	if got := (Fault{Type: TypeOverloaded}).StatusCode(); got != 529 {
		t.Errorf("overloaded status %d", got)
	}
	if got := (Fault{Type: TypeStatus, Status: 502}).StatusCode(); got != 502 {
		t.Errorf("status status %d", got)
	}
}

func faultEqual(a, b Fault) bool {
	if (a.ShouldRetry == nil) != (b.ShouldRetry == nil) || (a.ShouldRetry != nil && *a.ShouldRetry != *b.ShouldRetry) {
		return false
	}
	a.ShouldRetry, b.ShouldRetry = nil, nil
	return a == b
}

// TestDecodeFaultRejects: each mistake is a FieldError naming the field and saying what is wrong.
func TestDecodeFaultRejects(t *testing.T) {
	cases := []struct{ json, field, msg string }{
		{`{"status":500}`, "type", "missing"},
		{`{"type":"nope"}`, "type", `unknown fault type "nope"`},
		{`{"type":"down"}`, "type", "network fault: the proxy (Toxiproxy) in front of the mock plays it"},
		{`{"type":"latency","latency":"1s"}`, "type", "network fault"},
		{`{"type":"rate-limit","status":500}`, "status", `fault type "rate-limit" does not take status (it takes: retry_after, retry_after_as, should_retry, fraction, first_n, seed)`},
		{`{"type":"hang","after_chunks":2}`, "after_chunks", "does not take after_chunks"},
		{`{"type":"hang","nonsense":2}`, "nonsense", "does not take nonsense"},
		{`{"type":"status","status":200}`, "status", "not an HTTP error status"},
		{`{"type":"status"}`, "status", "not an HTTP error status"},
		{`{"type":"status","status":"x"}`, "status", "cannot unmarshal"},
		{`{"type":"partial-errors","status":500}`, "fraction", "set fraction"},
		{`{"type":"status","status":500,"fraction":1.5}`, "fraction", "outside (0,1]"},
		{`{"type":"status","status":500,"fraction":0.5,"first_n":2}`, "first_n", "not both"},
		{`{"type":"status","status":500,"first_n":-1}`, "first_n", "negative"},
		{`{"type":"stall","keepalive":"-1s"}`, "keepalive", "negative"},
		{`{"type":"stall","keepalive":"soon"}`, "keepalive", "duration"},
		{`{"type":"truncate","after_chunks":-1}`, "after_chunks", "negative"},
		{`{"type":"slow-tokens"}`, "ttft", "ttft or token_delay"},
		{`{"type":"partial-success","reject_fraction":2}`, "reject_fraction", "outside (0,1]"},
		{`{"type":"rate-limit","retry_after_as":"weeks"}`, "retry_after_as", "seconds, date or ms"},
		{`{"type":"tool-call-cut","cut_at":"middle"}`, "cut_at", `"middle": want name or arguments`},
		{`{"type":"response-incomplete","reason":"bored"}`, "reason", "want max_output_tokens or content_filter"},
		{`{"type":"content-filter","filtered":"both"}`, "filtered", "want prompt or output"},
		{`{"type":"content-filter","reason":"content_filter"}`, "reason", "does not take reason"},
		{`{"type":"quota"}`, "requests_per_minute", "set requests_per_minute, tokens_per_minute or both"},
		{`{"type":"quota","tokens_per_minute":-5}`, "tokens_per_minute", "negative"},
		{`{"type":"quota","requests_per_minute":5,"fraction":0.5}`, "fraction", `fault type "quota" does not take fraction`},
		{`{"type":"invalid-key","should_retry":false}`, "should_retry", "does not take should_retry"},
		{`[1]`, "", "JSON object"},
	}
	for _, c := range cases {
		_, err := DecodeFault([]byte(c.json))
		var fe *FieldError
		if !errors.As(err, &fe) {
			t.Errorf("%s: err %v, want a *FieldError", c.json, err)
			continue
		}
		if fe.Field != c.field || !strings.Contains(fe.Msg, c.msg) {
			t.Errorf("%s: field %q msg %q; want field %q msg containing %q", c.json, fe.Field, fe.Msg, c.field, c.msg)
		}
	}
}

// TestValidateGoBuiltFaults: a fault built in Go is checked like a decoded one.
func TestValidateGoBuiltFaults(t *testing.T) {
	cases := []struct {
		f     Fault
		field string
	}{
		{Fault{Type: TypeHang, Status: 500}, "status"},
		{Fault{Type: TypeRateLimit, Status: 429}, "status"},
		{Fault{Type: TypeTruncate, Keepalive: Duration(time.Second)}, "keepalive"},
		{Fault{Type: TypeStatus, Status: 503, RetryAfter: Duration(-time.Second)}, "retry_after"},
		{Fault{Type: TypeDown}, "type"},
		{Fault{}, "type"},
	}
	for _, c := range cases {
		var fe *FieldError
		if err := c.f.Validate(); !errors.As(err, &fe) || fe.Field != c.field {
			t.Errorf("%+v: %v, want a FieldError on %s", c.f, err, c.field)
		}
	}
	if err := (Fault{Type: TypeStatus, Status: 503, Scope: Scope{FirstN: 3}}).Validate(); err != nil {
		t.Errorf("a good fault: %v", err)
	}
}

func TestTypesTable(t *testing.T) {
	seen := map[FaultType]bool{}
	for _, info := range Types() {
		if seen[info.Type] || info.Mode == "" || info.Doc == "" {
			t.Errorf("bad entry %+v", info)
		}
		seen[info.Type] = true
		if IsNetworkType(info.Type) {
			t.Errorf("%s is both a protocol and a network type", info.Type)
		}
		for _, f := range info.Fields {
			if _, ok := (&Fault{}).fieldValues()[f]; !ok {
				t.Errorf("%s takes %q, which Fault has no field for", info.Type, f)
			}
		}
		info.Fields[0] = "changed"
	}
	if Types()[0].Fields[0] == "changed" {
		t.Error("Types hands out the table itself")
	}
}
