package fault

import (
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/llmchaos/llmchaos/mocks/control"
)

// registryTestCases gives, for every registered type, its JSON form and the same fault
// built in Go. TestDecodeEveryType fails when a type is added without a case.
func registryTestCases() map[string]struct {
	json string
	gof  Fault
} {
	no := false
	return map[string]struct {
		json string
		gof  Fault
	}{
		"down":            {`{"type":"down"}`, &Down{}},
		"latency":         {`{"type":"latency","latency":"500ms","jitter":"100ms","direction":"upstream","toxicity":0.5}`, &Latency{Latency: 500 * time.Millisecond, Jitter: 100 * time.Millisecond, Direction: DirUpstream, Toxicity: 0.5}},
		"blackhole":       {`{"type":"blackhole","direction":"downstream"}`, &Blackhole{Direction: DirDownstream}},
		"reset":           {`{"type":"reset","after":"50ms","drop_open":true}`, &Reset{After: 50 * time.Millisecond, DropOpen: true}},
		"bandwidth":       {`{"type":"bandwidth","rate_kbps":8}`, &Bandwidth{KBps: 8}},
		"slow-close":      {`{"type":"slow-close","delay":"2s"}`, &SlowClose{Delay: 2 * time.Second}},
		"slicer":          {`{"type":"slicer","avg_size":16,"size_variation":4,"delay":"1ms"}`, &Slicer{AvgSize: 16, SizeVariation: 4, Delay: time.Millisecond}},
		"limit-data":      {`{"type":"limit-data","bytes":512}`, &LimitData{Bytes: 512}},
		"status":          {`{"type":"status","status":503,"retry_after":"1s","should_retry":false}`, Status(503, WithRetryAfter(time.Second), WithShouldRetry(false))},
		"rate-limit":      {`{"type":"rate-limit","retry_after":"2s","retry_after_as":"ms"}`, RateLimited(2*time.Second, WithRetryAfterMs())},
		"overloaded":      {`{"type":"overloaded","retry_after":"1s","retry_after_as":"date"}`, Overloaded(WithRetryAfter(time.Second), WithRetryAfterDate())},
		"partial-errors":  {`{"type":"partial-errors","status":500,"fraction":0.3,"seed":4}`, PartialErrors(0.3, 500, WithScopeSeed(4))},
		"stream-error":    {`{"type":"stream-error","after_chunks":2}`, StreamError(2)},
		"truncate":        {`{"type":"truncate","after_chunks":3,"first_n":5}`, Truncate(3, WithFirstN(5))},
		"stall":           {`{"type":"stall","keepalive":"1s"}`, Stall(time.Second)},
		"malformed":       {`{"type":"malformed","after_chunks":1}`, Malformed(1)},
		"slow-tokens":     {`{"type":"slow-tokens","ttft":"2s","token_delay":"50ms"}`, SlowTokens(2*time.Second, 50*time.Millisecond)},
		"no-usage":        {`{"type":"no-usage"}`, NoUsage()},
		"hang":            {`{"type":"hang","hold":"5s"}`, Hang(WithHold(5 * time.Second))},
		"partial-success": {`{"type":"partial-success","reject_fraction":0.25}`, PartialSuccess(0.25)},
		"tool-call-cut":   {`{"type":"tool-call-cut","cut_at":"name","fraction":0.5}`, ToolCallCut(control.CutAtName, WithFraction(0.5))},
		"response-failed": {`{"type":"response-failed","after_chunks":2}`, ResponseFailed(2)},
		"response-incomplete": {`{"type":"response-incomplete","reason":"content_filter","after_chunks":3}`,
			ResponseIncomplete(control.ReasonContentFilter, 3)},
		"context-length":     {`{"type":"context-length","first_n":2}`, ContextLength(WithFirstN(2))},
		"content-filter":     {`{"type":"content-filter","filtered":"output","after_chunks":4}`, ContentFilter(control.FilterOutput, 4)},
		"insufficient-quota": {`{"type":"insufficient-quota","should_retry":false}`, InsufficientQuota(WithShouldRetry(false))},
		"invalid-key":        {`{"type":"invalid-key"}`, InvalidKey()},
		"model-not-found":    {`{"type":"model-not-found","fraction":0.2,"seed":9}`, ModelNotFound(WithFraction(0.2), WithScopeSeed(9))},
		"quota":              {`{"type":"quota","requests_per_minute":60,"tokens_per_minute":90000}`, Quota(60, 90000)},
		// not types: the modifiers, on one of each family
		"+flap": {`{"type":"down","flap":{"period":"4s"}}`, &Flap{Period: 4 * time.Second, Fault: &Down{}}},
		"+ramp": {`{"type":"status","status":503,"ramp":{"from":0.1,"to":0.5,"steps":4}}`, &Ramp{From: 0.1, To: 0.5, Steps: 4, Fault: control.Fault{Type: control.TypeStatus, Status: 503}}},
		"+both": {`{"type":"status","status":503,"ramp":{"from":0,"to":1},"flap":{"period":"2s"}}`, &Flap{Period: 2 * time.Second, Fault: &Ramp{To: 1, Fault: control.Fault{Type: control.TypeStatus, Status: 503}}}},
		"+no":   {`{"type":"status","status":500,"should_retry":false}`, Status(500, WithShouldRetry(no))},
	}
}

func TestDecodeEveryType(t *testing.T) {
	cases := registryTestCases()
	for _, typ := range Types() {
		if _, ok := cases[typ.Name]; !ok {
			t.Errorf("type %q has no case in registryTestCases", typ.Name)
		}
	}
	for name, c := range cases {
		f, err := Decode([]byte(c.json))
		if err != nil {
			t.Errorf("%s: Decode: %v", name, err)
			continue
		}
		if !reflect.DeepEqual(f, c.gof) {
			t.Errorf("%s: decoded %#v, Go built %#v", name, f, c.gof)
		}
		if err := Validate(c.gof); err != nil {
			t.Errorf("%s: the Go-built fault does not validate: %v", name, err)
		}
		if !strings.HasPrefix(name, "+") && f.Kind() != name {
			t.Errorf("%s: Kind %q", name, f.Kind())
		}
	}
}

// TestDecodeErrorsNameTheField: every mistake is a FieldError whose Field is the path as
// YAML writes it, so the loader can point at the line.
func TestDecodeErrorsNameTheField(t *testing.T) {
	cases := []struct{ json, field, msg string }{
		{`{"latency":"1s"}`, "type", "missing"},
		{`{"type":"dwn"}`, "type", `unknown fault type "dwn" (network: down, latency,`},
		{`{"type":"down","latency":"1s"}`, "latency", `fault type "down" does not take latency (it takes: flap)`},
		{`{"type":"latency","latency":"1s","after_chunks":2}`, "after_chunks", "(it takes: latency, jitter, direction, toxicity, flap)"},
		{`{"type":"rate-limit","status":500}`, "status", `does not take status`},
		{`{"type":"latency"}`, "latency", "missing"},
		{`{"type":"latency","latency":"soon"}`, "latency", "not a duration"},
		{`{"type":"latency","latency":"-1s"}`, "latency", "not positive"},
		{`{"type":"latency","latency":"1s","jitter":"-1s"}`, "jitter", "negative"},
		{`{"type":"latency","latency":"1s","direction":"sideways"}`, "direction", "sideways"},
		{`{"type":"blackhole","toxicity":0}`, "toxicity", "no connection"},
		{`{"type":"blackhole","toxicity":2}`, "toxicity", "outside (0,1]"},
		{`{"type":"bandwidth"}`, "rate_kbps", "positive"},
		{`{"type":"bandwidth","rate_kbps":"fast"}`, "rate_kbps", "whole number"},
		{`{"type":"slicer","avg_size":10,"size_variation":10}`, "size_variation", "< avg_size"},
		{`{"type":"limit-data"}`, "bytes", "how many bytes pass"},
		{`{"type":"reset","after":"-1ms"}`, "after", "negative"},
		{`{"type":"down","flap":{}}`, "flap.period", "positive period"},
		{`{"type":"down","flap":{"period":"1s","phase":2}}`, "flap.phase", "flap does not take phase"},
		{`{"type":"down","flap":3}`, "flap", "mapping"},
		{`{"type":"down","ramp":{"from":0,"to":1}}`, "ramp", "network fault"},
		{`{"type":"status","status":503,"ramp":{"from":-1,"to":1}}`, "ramp.from", "[0,1]"},
		{`{"type":"status","status":503,"ramp":{"from":0,"to":0}}`, "ramp.to", "never"},
		{`{"type":"status","status":503,"ramp":{"to":1,"steps":-1}}`, "ramp.steps", "1 or more"},
		{`{"type":"status","status":503,"fraction":0.5,"ramp":{"to":1}}`, "fraction", "the ramp sets"},
		{`{"type":"status","ramp":{"to":1}}`, "status", "HTTP error status"},
		{`{"type":"quota","requests_per_minute":5,"ramp":{"to":1}}`, "fraction", `does not take fraction`},
		{`{"type":"tool-call-cut","cut_at":"body"}`, "cut_at", "want name or arguments"},
		{`[]`, "", "mapping"},
	}
	for _, c := range cases {
		_, err := Decode([]byte(c.json))
		var fe *FieldError
		if !errors.As(err, &fe) {
			t.Errorf("%s: %v, want a *FieldError", c.json, err)
			continue
		}
		if fe.Field != c.field || !strings.Contains(fe.Msg, c.msg) {
			t.Errorf("%s:\n got field %q msg %q\nwant field %q msg containing %q", c.json, fe.Field, fe.Msg, c.field, c.msg)
		}
	}
}

// TestValidateGoBuiltFaults: the same rules hold for a fault built in Go, before it is
// applied (a negative control for every check Decode relies on).
func TestValidateGoBuiltFaults(t *testing.T) {
	cases := []struct {
		f     Fault
		field string
	}{
		{&Latency{Latency: -time.Second}, "latency"},
		{&Latency{}, "latency"},
		{&Bandwidth{}, "rate_kbps"},
		{&Slicer{AvgSize: 10, SizeVariation: 10}, "size_variation"},
		{&LimitData{Bytes: -1}, "bytes"},
		{&SlowClose{Delay: -1}, "delay"},
		{&Reset{After: -1}, "after"},
		{&Latency{Latency: time.Millisecond, Direction: "sideways"}, "direction"},
		{&Blackhole{Toxicity: 2}, "toxicity"},
		{Status(200), "status"},
		{Stall(-time.Second), "keepalive"},
		{&Protocol{Fault: control.Fault{Type: control.TypeHang, AfterChunks: 3}}, "after_chunks"},
		{&Protocol{Fault: control.Fault{Type: "latency"}}, "type"},
		{&Flap{Fault: &Down{}}, "flap.period"},
		{&Flap{Period: time.Second}, "flap"},
		{&Flap{Period: time.Second, Fault: &Bandwidth{}}, "rate_kbps"},
		{&Ramp{From: 0.1, To: 2, Fault: control.Fault{Type: control.TypeStatus, Status: 503}}, "ramp.to"},
		{&Ramp{To: 1, Fault: control.Fault{Type: control.TypeStatus, Status: 503, Scope: control.Scope{FirstN: 2}}}, "fraction"},
		{nil, ""},
	}
	for _, c := range cases {
		var fe *FieldError
		if err := Validate(c.f); !errors.As(err, &fe) || fe.Field != c.field {
			t.Errorf("%v: %v, want a FieldError on %q", c.f, err, c.field)
		}
	}
}

func TestTypesAreTheVocabulary(t *testing.T) {
	var network, protocol []string
	for _, typ := range Types() {
		if typ.Doc == "" {
			t.Errorf("%s has no doc", typ.Name)
		}
		if l, ok := Lookup(typ.Name); !ok || l.Name != typ.Name {
			t.Errorf("Lookup(%q) = %v, %v", typ.Name, l, ok)
		}
		switch typ.Family {
		case FamilyNetwork:
			network = append(network, typ.Name)
		case FamilyProtocol:
			protocol = append(protocol, typ.Name)
		default:
			t.Errorf("%s: family %q", typ.Name, typ.Family)
		}
	}
	var mockRefuses, mockPlays []string
	for _, n := range control.NetworkTypes() {
		mockRefuses = append(mockRefuses, string(n))
	}
	for _, p := range control.Types() {
		mockPlays = append(mockPlays, string(p.Type))
	}
	if !slices.Equal(network, mockRefuses) {
		t.Errorf("network types %v, but the mocks refuse %v as network faults", network, mockRefuses)
	}
	if !slices.Equal(protocol, mockPlays) {
		t.Errorf("protocol types %v, control defines %v", protocol, mockPlays)
	}
	if _, ok := Lookup("flap"); ok {
		t.Error("flap is a modifier, not a type")
	}
}

// TestFieldTypesCoverEveryField: every field of every registered type, and of the
// modifiers, has a Go type (a schema generator needs one for each).
func TestFieldTypesCoverEveryField(t *testing.T) {
	for _, typ := range Types() {
		fields := typ.FieldTypes()
		if len(fields) != len(typ.Fields) {
			t.Errorf("%s: %d field types for %d fields", typ.Name, len(fields), len(typ.Fields))
		}
		for _, f := range fields {
			if f.Type == nil {
				t.Errorf("%s: field %s has no Go type", typ.Name, f.Name)
			}
		}
	}
	for _, m := range []string{"flap", "ramp"} {
		if len(ModifierFields(m)) == 0 {
			t.Errorf("modifier %s: no fields", m)
		}
	}
	if got := ModifierFields("nosuch"); got != nil {
		t.Errorf("ModifierFields(nosuch) = %v, want nil", got)
	}
}
