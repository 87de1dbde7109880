package load

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http/httptest"
	"testing"

	"github.com/llmchaos/llmchaos/harness/tmpl"
	"github.com/llmchaos/llmchaos/mocks/llm"
)

// The driver's answer decoders read what the app under test sends back: anything. Two
// fuzz targets hold them to their contract: no input panics them or gets an outcome
// outside the decoders' set (FuzzDecodeAnswer), and the LLM mock's real answer cut
// anywhere before its end marker is never judged OK (FuzzDecodeCut: a cut the driver
// passed as whole would be a silent truncation the metrics cannot see). The seeds are
// the mock's answers for every protocol, streamed and not, with and without tools,
// the request and the tool-result follow-up.

// fuzzCase is one protocol variant the decoders are fuzzed under.
type fuzzCase struct {
	proto         Protocol
	stream, tools bool
	turn          int
}

func (c fuzzCase) String() string {
	return fmt.Sprintf("%s/stream=%v/tools=%v/turn=%d", c.proto, c.stream, c.tools, c.turn)
}

// fuzzCases are the variants, indexed by a fuzzed selector byte.
func fuzzCases() []fuzzCase {
	var cs []fuzzCase
	for _, p := range llmProtocols {
		for _, stream := range []bool{false, true} {
			cs = append(cs, fuzzCase{p, stream, false, 0}, fuzzCase{p, stream, true, 0}, fuzzCase{p, stream, true, 1})
		}
	}
	return cs
}

// fuzzDriver is a driver for c (its protocol is what is fuzzed).
func fuzzDriver(t testing.TB, c fuzzCase) *Driver {
	t.Helper()
	d, err := NewDriver(Spec{Rate: 1, Request: Request{Protocol: c.proto, Stream: c.stream, Tools: c.tools}}, "http://127.0.0.1:1", tmpl.Data{})
	if err != nil {
		t.Fatalf("%s: %v", c, err)
	}
	return d
}

// fuzzMockAnswer is the LLM mock's answer body to c's request (served in process): for
// turn 1, to the follow-up that carries the results of the tool calls of turn 0.
func fuzzMockAnswer(t testing.TB, m *llm.Server, c fuzzCase) []byte {
	t.Helper()
	d := fuzzDriver(t, c)
	data := &tmpl.Request{Data: d.data, ID: d.ID(0), Seq: 0}
	body, hdr, err := d.proto.body(data)
	if err != nil {
		t.Fatalf("%s: body: %v", c, err)
	}
	serve := func(body []byte) []byte {
		req, err := d.buildRequest(context.Background(), data, body, hdr)
		if err != nil {
			t.Fatalf("%s: request: %v", c, err)
		}
		rec := httptest.NewRecorder()
		m.ServeHTTP(rec, req)
		if rec.Code != 200 {
			t.Fatalf("%s: the mock answered %d: %s", c, rec.Code, rec.Body)
		}
		return rec.Body.Bytes()
	}
	answer := serve(body)
	if c.turn == 0 {
		return answer
	}
	dec := d.proto.decode(bytes.NewReader(answer), func() {}, 0)
	if len(dec.calls) == 0 {
		t.Fatalf("%s: the mock's first answer holds no tool call: %+v", c, dec)
	}
	follow, err := d.proto.(followUpProtocol).followUp(data, dec.calls)
	if err != nil {
		t.Fatalf("%s: follow-up: %v", c, err)
	}
	return serve(follow)
}

// fuzzSeeds are the mock's answers, one per case, checked to decode OK.
func fuzzSeeds(t testing.TB) [][]byte {
	t.Helper()
	m, err := llm.New(llm.WithName("primary"))
	if err != nil {
		t.Fatal(err)
	}
	var seeds [][]byte
	for _, c := range fuzzCases() {
		answer := fuzzMockAnswer(t, m, c)
		if dec := fuzzDriver(t, c).proto.decode(bytes.NewReader(answer), func() {}, c.turn); dec.outcome != OutcomeOK || dec.readErr != nil {
			t.Fatalf("%s: the mock's own answer decodes %s (%s), want ok:\n%s", c, dec.outcome, dec.detail, answer)
		}
		seeds = append(seeds, answer)
	}
	return seeds
}

// decoderOutcomes are the outcomes a decoder may give (the rest are the driver's).
var decoderOutcomes = map[Outcome]bool{
	OutcomeOK: true, OutcomeIncomplete: true, OutcomeMalformed: true, OutcomeHTTPError: true,
	OutcomeTruncated: true, OutcomeEndedEarly: true,
}

func FuzzDecodeAnswer(f *testing.F) {
	cases := fuzzCases()
	for i, s := range fuzzSeeds(f) {
		f.Add(uint8(i), s)
	}
	f.Add(uint8(0), []byte(`{"choices":[{"message":{"tool_calls":[{"id":"x","function":{"name":"n","arguments":"{"}}]},"finish_reason":"tool_calls"}]}`))
	f.Add(uint8(4), []byte("data: {\"choices\":[{\"delta\":{\"tool_calls\":[{\"index\":99999999999}]}}]}\n\ndata: [DONE]\n\n"))
	f.Add(uint8(10), []byte("event: response.output_item.added\ndata: {\"output_index\":-1,\"item\":{\"type\":\"function_call\"}}\n\n"))
	f.Add(uint8(16), []byte("event: content_block_delta\ndata: {\"index\":5,\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"{\"}}\n\n"))
	f.Add(uint8(3), []byte(""))
	f.Fuzz(func(t *testing.T, sel uint8, body []byte) {
		c := cases[int(sel)%len(cases)]
		dec := fuzzDriver(t, c).proto.decode(bytes.NewReader(body), func() {}, c.turn)
		if dec.readErr != nil {
			t.Fatalf("%s: a body read from memory failed: %v", c, dec.readErr)
		}
		if !decoderOutcomes[dec.outcome] {
			t.Fatalf("%s: outcome %q is not a decoder's", c, dec.outcome)
		}
		if dec.outcome != OutcomeOK && dec.detail == "" {
			t.Fatalf("%s: outcome %s without a detail", c, dec.outcome)
		}
		if dec.outcome == OutcomeOK && c.tools && c.turn == 0 && len(dec.calls) == 0 {
			t.Fatalf("%s: a required tool call was not made, yet ok", c)
		}
	})
}

// endMarker is where the end marker of c's answer starts in answer: a cut before it
// leaves the answer without its end.
func endMarker(c fuzzCase, answer []byte) int {
	var marker string
	switch {
	case !c.stream:
		return bytes.LastIndexByte(answer, '}')
	case c.proto == ProtocolOpenAIChat:
		marker = "data: [DONE]"
	case c.proto == ProtocolOpenAIResponses:
		marker = "event: response.completed"
	default:
		marker = "event: message_stop"
	}
	return bytes.LastIndex(answer, []byte(marker))
}

func FuzzDecodeCut(f *testing.F) {
	cases := fuzzCases()
	seeds := fuzzSeeds(f)
	for i := range cases {
		f.Add(uint8(i), uint32(0), false)
		f.Add(uint8(i), uint32(len(seeds[i])/2), false)
		f.Add(uint8(i), uint32(endMarker(cases[i], seeds[i])-1), true)
	}
	f.Fuzz(func(t *testing.T, sel uint8, cut uint32, torn bool) {
		i := int(sel) % len(cases)
		c, answer := cases[i], seeds[i]
		end := endMarker(c, answer)
		if end <= 0 {
			t.Fatalf("%s: no end marker in the mock's answer:\n%s", c, answer)
		}
		n := int(cut % uint32(end))
		var r io.Reader = bytes.NewReader(answer[:n])
		if torn { // the cut stream as a client sees it when the connection closed mid-frame
			r = io.MultiReader(r, bytes.NewReader([]byte("\n\n")))
		}
		dec := fuzzDriver(t, c).proto.decode(r, func() {}, c.turn)
		if dec.outcome == OutcomeOK {
			t.Fatalf("%s: the mock's answer cut at byte %d of %d (its end marker at %d) was judged ok: %q", c, n, len(answer), end, answer[:n])
		}
	})
}
