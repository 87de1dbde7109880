package tmpl

import (
	"strings"
	"testing"
)

func testData() Data {
	return Data{
		Scenario:  "demo",
		Upstreams: map[string]Upstream{"primary": {Name: "primary", Kind: "openai", URL: "http://127.0.0.1:1"}},
		SUT:       SUT{Addr: "127.0.0.1:2"},
	}
}

func TestRender(t *testing.T) {
	s, err := Render("x", "{{ .Upstreams.primary.URL }}/v1 {{ .Scenario }}", testData())
	if err != nil || s != "http://127.0.0.1:1/v1 demo" {
		t.Fatalf("%q %v", s, err)
	}
	s, err = Render("x", "no braces", Data{})
	if err != nil || s != "no braces" {
		t.Fatalf("%q %v", s, err)
	}
	_, err = Render("request.headers.x", "{{ .Upstreams.nope.URL }}", testData())
	if err == nil || !strings.Contains(err.Error(), "request.headers.x") || !strings.Contains(err.Error(), ".Upstreams.NAME.URL") {
		t.Fatalf("missing key: %v", err)
	}
	if _, err := Parse("body", "{{ .ID "); err == nil || !strings.Contains(err.Error(), "template body") {
		t.Fatalf("bad template: %v", err)
	}
}

func TestRequestTemplatesSeeTheRequest(t *testing.T) {
	tp, err := Parse("path", "/u/{{ .ID }}/{{ .Seq }}/{{ .Upstreams.primary.Kind }}")
	if err != nil {
		t.Fatal(err)
	}
	s, err := tp.Render(&Request{Data: testData(), ID: "r-1", Seq: 7})
	if err != nil || s != "/u/r-1/7/openai" {
		t.Fatalf("%q %v", s, err)
	}
	_, err = tp.Render(testData())
	if err == nil {
		t.Fatal("a request template rendered without a request")
	}
}
