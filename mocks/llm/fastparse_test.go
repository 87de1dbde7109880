package llm

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strings"
	"testing"
)

// fastParseSeeds are bodies fastParse must read as encoding/json does, or decline.
var fastParseSeeds = []string{
	benchBody,
	`{"model":"m","messages":[{"role":"user","content":"[llmchaos-id:a]"}],"user":"u","temperature":0.5,"tools":[{"x":{"y":[1,"]}"]}}]}`,
	`{"model":"m","messages":[{"role":"user","content":[{"type":"text","text":"x"}]},{"role":"assistant","content":"y"}]}`,
	`{"model":"m","messages":[{"role":"user"},{"content":"a","role":"user","name":"n"}],"stream":false}`,
	`{"model":"m","messages":[{"role":"user","content":"a"},{"role":"user"}]}`,
	`{"model":"m","Model":"n","messages":[{"role":"user","content":"a"}]}`,
	`{"model":"m","model":"n","messages":[{"role":"user","content":"a"}]}`,
	`{"model":"m","messages":[{"role":"user","content":"a","ROLE":"system"}]}`,
	`{"model":"m","messages":[{"role":"user","content":null}]}`,
	`{"model":"m","messages":[null]}`,
	`{"model":"m","messages":[]}`,
	`{"model":"","messages":[{"role":"user","content":"a"}]}`,
	`{"model":"m\u0041","messages":[{"role":"us\u0065r","content":"a"}]}`,
	`{"model":"m","stream":true,"stream_options":{"include_usage":true},"messages":[{"role":"user","content":"a"}]}`,
	`{"model":"c","max_tokens":10,"messages":[{"role":"user","content":"[llmchaos-id:a]"}],"metadata":{"user_id":"u"}}`,
	`{"model":"c","max_tokens":10,"system":"s","messages":[{"role":"user","content":"x"}],"user":"skip"}`,
	`{"model":"c","max_tokens":1.5,"messages":[{"role":"user","content":"x"}]}`,
	`{"model":"c","max_tokens":-1,"messages":[{"role":"user","content":"x"}]}`,
	`{"model":"c","max_tokens":99999999999999999999,"messages":[{"role":"user","content":"x"}]}`,
	`{"model":"c","messages":[{"role":"user","content":"x"}]}`,
	` { "model" : "m" , "messages" : [ { "role" : "user" , "content" : "x" } ] , "n" : [ ] } `,
	`{"model":"m","messages":[{"role":"user","content":"x"}]} x`,
	`{"model":"m\xff","messages":[{"role":"user","content":"x"}]}`,
	`{"model":"m","messages":[{"role":"user","content":"x"}],"n":{"a":[1,-2.5e+3,0.1E-2,true,false,null,"\u00e9\n\"",{}]}}`,
	`{"model":"c","max_tokens":0,"messages":[{"role":"user","content":"x","cache_control":{"type":"ephemeral"}}]}`,
}

// invalidBodies are not JSON; json.Valid rejects each, and so must fastParse (in both
// dialects), since it no longer runs json.Valid first.
var invalidBodies = []string{
	`{"model":"m" "messages":[{"role":"user","content":"x"}]}`,
	`{"model":"m","messages":[{"role":"user","content":"x"}],}`,
	`{"model":"m",,"messages":[{"role":"user","content":"x"}]}`,
	`{"model":"m","messages":[{"role":"user","content":"x"},]}`,
	`{"model":"m","messages":[{"role":"user","content":"x"} {"role":"user","content":"y"}]}`,
	`{"model":"m","messages":[{"role":"user" "content":"x"}]}`,
	`{"model":"m","messages":[{"role":"user","content":"x",}]}`,
	`{"model":"m","messages":[{"role":"user","content":["a" "b"]}]}`,
	`{"model":"m","messages":[{"role":"user","content":"x"}],"n":[1,]}`,
	`{"model":"m","messages":[{"role":"user","content":"x"}],"n":{"a" 1}}`,
	`{"model":"m","messages":[{"role":"user","content":"x"}],"n":{"a":}}`,
	`{"model":"m","messages":[{"role":"user","content":"x"}],"n":01}`,
	`{"model":"m","messages":[{"role":"user","content":"x"}],"n":1.}`,
	`{"model":"m","messages":[{"role":"user","content":"x"}],"n":.5}`,
	`{"model":"m","messages":[{"role":"user","content":"x"}],"n":1e}`,
	`{"model":"m","messages":[{"role":"user","content":"x"}],"n":-}`,
	`{"model":"m","messages":[{"role":"user","content":"x"}],"n":+1}`,
	`{"model":"m","messages":[{"role":"user","content":"x"}],"n":tru}`,
	`{"model":"m","messages":[{"role":"user","content":"x"}],"n":nul}`,
	`{"model":"m","messages":[{"role":"user","content":"x"}],"n":truex}`,
	`{"model":"m","messages":[{"role":"user","content":"x"}],"n":"\x"}`,
	`{"model":"m","messages":[{"role":"user","content":"x"}],"n":"\u12"}`,
	`{"model":"m","messages":[{"role":"user","content":"x"}],"n":"\u12g4"}`,
	"{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"a\tb\"}]}",
	"{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"n\":\"\x01\"}",
	`{"model":"m","messages":[{"role":"user","content":"x"}],"n":"open}`,
	`{"model":"m","messages":[{"role":"user","content":"x"}],"n":[[[]]}`,
	`{"model":"m","messages":[{"role":"user","content":"x"}]`,
	`{"model":"m","messages":[{"role":"user","content":"x"}]}}`,
	`{"model":"c","max_tokens":01,"messages":[{"role":"user","content":"x"}]}`,
	`{"model":"c","max_tokens":1,,"messages":[{"role":"user","content":"x"}]}`,
	`{"model":"m","messages":[{"role":"user","content":"x"}],"n":` + strings.Repeat("[", 70) + strings.Repeat("]", 69) + `}`,
}

func TestFastParseDeclinesInvalidJSON(t *testing.T) {
	for _, body := range invalidBodies {
		if json.Valid([]byte(body)) {
			t.Fatalf("test body %q is valid JSON; this list is for invalid ones", body)
		}
		for _, anthropic := range []bool{false, true} {
			if _, ok := fastParse([]byte(body), anthropic); ok {
				t.Errorf("fastParse(%q, anthropic=%v) accepted a body that is not JSON", body, anthropic)
			}
		}
	}
}

func TestFastParseMatchesEncodingJSON(t *testing.T) {
	accepted := 0
	for _, body := range fastParseSeeds {
		accepted += checkFastParse(t, []byte(body))
	}
	if accepted < 8 {
		t.Fatalf("fastParse read only %d of the plain bodies: the fast path is not taken", accepted)
	}
}

func FuzzFastParse(f *testing.F) {
	for _, s := range append(fastParseSeeds, invalidBodies...) {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) { checkFastParse(t, body) })
}

// checkFastParse compares fastParse with the encoding/json decoders on body, in both
// dialects, and returns how many times fastParse accepted it.
func checkFastParse(t *testing.T, body []byte) int {
	t.Helper()
	accepted := 0
	for _, anthropic := range []bool{false, true} {
		got, ok := fastParse(body, anthropic)
		if !ok {
			continue
		}
		accepted++
		decode := func(b []byte) (chatRequest, *apiError) { return decodeOpenAI(b, "") }
		if anthropic {
			decode = decodeAnthropic
		}
		want, bad := decode(body)
		if bad != nil {
			t.Fatalf("fastParse(%q, anthropic=%v) accepted a body encoding/json rejects: %s", body, anthropic, bad.msg)
		}
		if !bytes.Equal(got.lastUser, want.lastUser) {
			t.Fatalf("fastParse(%q, anthropic=%v) lastUser %q, want %q", body, anthropic, got.lastUser, want.lastUser)
		}
		got.lastUser, want.lastUser = nil, nil
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("fastParse(%q, anthropic=%v) = %+v, want %+v", body, anthropic, got, want)
		}
	}
	return accepted
}
