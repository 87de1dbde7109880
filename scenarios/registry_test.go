package scenarios_test

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/llmchaos/llmchaos/harness"
	"github.com/llmchaos/llmchaos/harness/fault"
	"github.com/llmchaos/llmchaos/mocks/control"
	"github.com/llmchaos/llmchaos/scenarios"
)

// registryCase is one registered fault type: its fields as the same JSON object that a
// scenario file (YAML reads JSON objects), the admin API and fault.Decode take; the same
// fault built in Go; the upstream kind that plays it; and what a client sees when it is on.
type registryCase struct {
	fields string
	gof    fault.Fault
	kind   harness.UpstreamKind
	// sees reports whether the client saw the fault; on the fault-free baseline it must
	// report false (the negative control).
	sees func(o observed) bool
	// req is the request the client sends: "" a streamed chat completion, reqTools one
	// that requires a tool call, reqResponses a streamed Responses API request.
	req string
}

// The requests observe can send.
const (
	reqTools     = "tools"
	reqResponses = "responses"
)

func registryCases() map[string]registryCase {
	llm, otlp := harness.KindOpenAI, harness.KindOTLP
	return map[string]registryCase{
		// network faults: applied through the embedded Toxiproxy in front of the mock
		"down":       {`{}`, &fault.Down{}, llm, func(o observed) bool { return errors.Is(o.err, syscall.ECONNREFUSED) }, ""},
		"latency":    {`{"latency": "800ms"}`, &fault.Latency{Latency: 800 * time.Millisecond}, llm, func(o observed) bool { return o.err == nil && o.took >= 750*time.Millisecond }, ""},
		"blackhole":  {`{}`, &fault.Blackhole{}, llm, func(o observed) bool { return o.timedOut() && o.status == 0 }, ""},
		"reset":      {`{"after": "10ms"}`, &fault.Reset{After: 10 * time.Millisecond}, llm, func(o observed) bool { return o.err != nil && !o.timedOut() && !o.complete() }, ""},
		"bandwidth":  {`{"rate_kbps": 2}`, &fault.Bandwidth{KBps: 2}, llm, func(o observed) bool { return o.took >= 750*time.Millisecond }, ""},
		"slow-close": {`{"delay": "800ms"}`, &fault.SlowClose{Delay: 800 * time.Millisecond}, llm, func(o observed) bool { return o.complete() && o.took >= 750*time.Millisecond }, ""},
		"slicer":     {`{"avg_size": 8, "size_variation": 2, "delay": "4ms"}`, &fault.Slicer{AvgSize: 8, SizeVariation: 2, Delay: 4 * time.Millisecond}, llm, func(o observed) bool { return o.took >= 750*time.Millisecond }, ""},
		"limit-data": {`{"bytes": 300}`, &fault.LimitData{Bytes: 300}, llm, func(o observed) bool { return o.bytes <= 300 && !o.complete() }, ""},
		// protocol faults: sent as JSON to the mock's admin API, played by the mock
		"status":         {`{"status": 503}`, fault.Status(503), llm, func(o observed) bool { return o.status == 503 }, ""},
		"rate-limit":     {`{"retry_after": "2s"}`, fault.RateLimited(2 * time.Second), llm, func(o observed) bool { return o.status == 429 && o.header.Get("Retry-After") == "2" }, ""},
		"overloaded":     {`{}`, fault.Overloaded(), llm, func(o observed) bool { return o.status == 529 }, ""},
		"partial-errors": {`{"status": 500, "first_n": 1}`, fault.Status(500, fault.WithFirstN(1)), llm, func(o observed) bool { return o.status == 500 }, ""},
		"stream-error":   {`{"after_chunks": 2}`, fault.StreamError(2), llm, func(o observed) bool { return o.status == 200 && strings.Contains(o.body, `data: {"error"`) }, ""},
		"truncate":       {`{"after_chunks": 2}`, fault.Truncate(2), llm, func(o observed) bool { return o.status == 200 && !o.complete() && o.err == nil }, ""},
		"stall":          {`{"keepalive": "100ms"}`, fault.Stall(100 * time.Millisecond), llm, func(o observed) bool { return o.status == 200 && o.timedOut() && !o.complete() }, ""},
		"malformed":      {`{"after_chunks": 1}`, fault.Malformed(1), llm, func(o observed) bool { return o.status == 200 && o.badFrame() }, ""},
		"slow-tokens":    {`{"ttft": "800ms"}`, fault.SlowTokens(800*time.Millisecond, 0), llm, func(o observed) bool { return o.complete() && o.took >= 750*time.Millisecond }, ""},
		"no-usage":       {`{}`, fault.NoUsage(), llm, func(o observed) bool { return o.complete() && !strings.Contains(o.body, `"usage":{`) }, ""},
		"hang":           {`{"hold": "200ms"}`, fault.Hang(fault.WithHold(200 * time.Millisecond)), llm, func(o observed) bool { return o.status == 504 }, ""},
		"partial-success": {`{"reject_fraction": 1}`, fault.PartialSuccess(1), otlp, func(o observed) bool {
			return o.status == 200 && strings.Contains(o.body, `"rejectedSpans":"2"`)
		}, ""},
		"tool-call-cut": {`{"cut_at": "arguments"}`, fault.ToolCallCut(control.CutAtArguments), llm, func(o observed) bool {
			return o.status == 200 && strings.Contains(o.body, `"tool_calls"`) && !strings.Contains(o.body, `"finish_reason":"tool_calls"`) && !o.complete()
		}, reqTools},
		"response-failed": {`{"after_chunks": 2}`, fault.ResponseFailed(2), llm, func(o observed) bool {
			return o.status == 200 && strings.Contains(o.body, "event: response.failed\n") && !strings.Contains(o.body, "response.completed")
		}, reqResponses},
		"response-incomplete": {`{"after_chunks": 2}`, fault.ResponseIncomplete("", 2), llm, func(o observed) bool {
			return o.complete() && strings.Contains(o.body, `"finish_reason":"length"`)
		}, ""},
		"context-length": {`{}`, fault.ContextLength(), llm, func(o observed) bool {
			return o.status == 400 && strings.Contains(o.body, `"code":"context_length_exceeded"`)
		}, ""},
		"content-filter": {`{"filtered": "output", "after_chunks": 2}`, fault.ContentFilter(control.FilterOutput, 2), llm, func(o observed) bool {
			return o.complete() && strings.Contains(o.body, `"finish_reason":"content_filter"`)
		}, ""},
		"insufficient-quota": {`{}`, fault.InsufficientQuota(), llm, func(o observed) bool {
			return o.status == 429 && strings.Contains(o.body, `"type":"insufficient_quota"`)
		}, ""},
		"invalid-key":     {`{}`, fault.InvalidKey(), llm, func(o observed) bool { return o.status == 401 && strings.Contains(o.body, "invalid_api_key") }, ""},
		"model-not-found": {`{}`, fault.ModelNotFound(), llm, func(o observed) bool { return o.status == 404 && strings.Contains(o.body, "model_not_found") }, ""},
		"quota": {`{"tokens_per_minute": 1}`, fault.Quota(0, 1), llm, func(o observed) bool {
			return o.status == 429 && o.header.Get("X-Ratelimit-Limit-Tokens") == "1"
		}, ""},
	}
}

// TestEveryRegisteredFaultWorksEverywhere: for every type in fault.Types(), the YAML
// loader and the Go API build the same fault; a protocol type is accepted by a real
// mock's admin API over HTTP and changes what the mock answers; a network type, applied
// through the embedded proxy, changes what a client sees, and a mock's admin API refuses
// it saying the proxy plays it. The README's fault tables list exactly the registry.
func TestEveryRegisteredFaultWorksEverywhere(t *testing.T) {
	cases := registryCases()
	for _, typ := range fault.Types() {
		if _, ok := cases[typ.Name]; !ok {
			t.Fatalf("fault type %q has no case in registryCases: add one", typ.Name)
		}
	}
	if len(cases) != len(fault.Types()) {
		t.Fatalf("%d cases for %d registered types", len(cases), len(fault.Types()))
	}
	env, err := harness.NewEnv(context.Background(), []harness.UpstreamSpec{
		{Name: "primary", Kind: harness.KindOpenAI}, {Name: "collector", Kind: harness.KindOTLP},
	}, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = env.Close() })
	for _, typ := range fault.Types() {
		c := cases[typ.Name]
		t.Run(typ.Name, func(t *testing.T) {
			sameInYAMLAndGo(t, typ.Name, c)
			u := upstreamOfKind(t, env, c.kind)
			if base := observe(u.URL, c.kind, c.req); c.sees(base) {
				t.Fatalf("the check sees %s without it (negative control failed): %s", typ.Name, base)
			}
			if typ.Family == fault.FamilyProtocol {
				playedByTheMock(t, typ.Name, c, u)
			} else {
				playedByTheProxy(t, typ.Name, c, u)
			}
		})
	}
}

// sameInYAMLAndGo loads a scenario file holding the fault and compares it with the Go one.
func sameInYAMLAndGo(t *testing.T, name string, c registryCase) {
	t.Helper()
	upstream := "primary"
	if c.kind == harness.KindOTLP {
		upstream = "collector"
	}
	mapping := fmt.Sprintf(`{"upstream": %q, "type": %q, %s`, upstream, name, strings.TrimPrefix(c.fields, "{"))
	mapping = strings.Replace(mapping, ", }", "}", 1)
	src := fmt.Sprintf(`name: registry
upstreams:
  primary: {kind: openai}
  collector: {kind: otlp}
sut: {url: "http://127.0.0.1:1"}
load: {rate: 10/s}
timeline:
  - {phase: faulted, for: 1s, faults: [%s]}
slo: [availability >= 0.9]
`, mapping)
	f, err := scenarios.Parse("registry.yaml", []byte(src))
	if err != nil {
		t.Fatalf("YAML:\n%s\n%v", src, err)
	}
	got := f.Scenario.Timeline.Phases[0].Faults[0]
	if got.Upstream != upstream || !reflect.DeepEqual(got.Fault, c.gof) {
		t.Fatalf("YAML built %#v on %s, Go built %#v", got.Fault, got.Upstream, c.gof)
	}
	if got.Fault.Kind() != name {
		t.Fatalf("Kind %q", got.Fault.Kind())
	}
}

// playedByTheMock posts the fault to the mock's admin API, sees it change the answer, and clears it.
func playedByTheMock(t *testing.T, name string, c registryCase, u *harness.Upstream) {
	t.Helper()
	body := fmt.Sprintf(`{"type": %q, %s`, name, strings.TrimPrefix(c.fields, "{"))
	body = strings.Replace(body, ", }", "}", 1)
	code, answer := adminPost(t, u.MockURL, body)
	if code != http.StatusCreated {
		t.Fatalf("POST %s to the %s mock's admin API: %d %s", body, u.Kind, code, answer)
	}
	defer adminClear(t, u.MockURL)
	if o := observe(u.MockURL, c.kind, c.req); !c.sees(o) {
		t.Fatalf("with %s on, the mock answered %s", body, o)
	}
}

// playedByTheProxy applies the fault through the embedded proxy and sees it change what
// the client sees; a mock's admin API refuses the name.
func playedByTheProxy(t *testing.T, name string, c registryCase, u *harness.Upstream) {
	t.Helper()
	code, answer := adminPost(t, u.MockURL, fmt.Sprintf(`{"type": %q}`, name))
	if code != http.StatusBadRequest || !strings.Contains(answer, "the proxy (Toxiproxy) in front of the mock plays it") {
		t.Fatalf("the admin API took network fault %s: %d %s", name, code, answer)
	}
	revert, err := c.gof.Apply(context.Background(), u.Target())
	if err != nil {
		t.Fatal(err)
	}
	o := observe(u.URL, c.kind, c.req)
	if err := revert(); err != nil {
		t.Fatal(err)
	}
	if !c.sees(o) {
		t.Fatalf("with %s on, the client saw %s", name, o)
	}
	if o := observe(u.URL, c.kind, c.req); c.sees(o) {
		t.Fatalf("after %s was reverted the client still sees it: %s", name, o)
	}
}

func upstreamOfKind(t *testing.T, env *harness.Env, kind harness.UpstreamKind) *harness.Upstream {
	t.Helper()
	for _, u := range env.Upstreams() {
		if u.Kind == kind {
			return u
		}
	}
	t.Fatalf("no %s upstream", kind)
	return nil
}

func adminPost(t *testing.T, base, body string) (int, string) {
	t.Helper()
	resp, err := http.Post(base+control.AdminPrefix+"faults", "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func adminClear(t *testing.T, base string) {
	req, _ := http.NewRequest(http.MethodDelete, base+control.AdminPrefix+"faults", nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Error(err)
		return
	}
	resp.Body.Close()
}

// observed is what a client saw of one request on a fresh connection, read to its close.
type observed struct {
	err    error
	status int
	header http.Header
	body   string
	bytes  int
	took   time.Duration
}

func (o observed) String() string {
	return fmt.Sprintf("status %d, %d bytes in %v, err %v, body %.120q", o.status, o.bytes, o.took.Round(time.Millisecond), o.err, o.body)
}

func (o observed) timedOut() bool {
	var ne net.Error
	return errors.As(o.err, &ne) && ne.Timeout()
}

// complete is a whole OpenAI stream: [DONE] arrived.
func (o observed) complete() bool { return strings.Contains(o.body, "data: [DONE]") }

// badFrame is a stream data line that is not JSON.
func (o observed) badFrame() bool {
	for _, line := range strings.Split(o.body, "\n") {
		data, ok := strings.CutPrefix(line, "data: ")
		if ok && data != "[DONE]" && !json.Valid([]byte(data)) {
			return true
		}
	}
	return false
}

// observeTimeout bounds one observation.
const observeTimeout = 2 * time.Second

// observe sends one request (a streamed OpenAI chat completion asking for usage, or the
// request req names; for an OTLP collector a JSON export of two spans) with Connection:
// close on a fresh connection to base, and reads the answer and then the connection to
// its close.
func observe(base string, kind harness.UpstreamKind, req string) observed {
	path, body := "/v1/chat/completions", `{"model":"m","stream":true,"stream_options":{"include_usage":true},"messages":[{"role":"user","content":"hi [llmchaos-id:reg-1]"}]}`
	switch {
	case kind == harness.KindOTLP:
		path, body = "/v1/traces", `{"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"5b8efff798038103d269b633813fc60c","spanId":"eee19b7ec3c1b174","name":"a"},{"traceId":"5b8efff798038103d269b633813fc60c","spanId":"0102030405060708","name":"b"}]}]}]}`
	case req == reqTools:
		body = `{"model":"m","stream":true,"messages":[{"role":"user","content":"hi [llmchaos-id:reg-1]"}],"tool_choice":"required",` +
			`"tools":[{"type":"function","function":{"name":"f","parameters":{"type":"object","properties":{"q":{"type":"string"}},"required":["q"]}}}]}`
	case req == reqResponses:
		path, body = "/v1/responses", `{"model":"m","stream":true,"input":"hi [llmchaos-id:reg-1]"}`
	}
	start := time.Now()
	var o observed
	conn, err := net.DialTimeout("tcp", strings.TrimPrefix(base, "http://"), observeTimeout)
	if err != nil {
		o.err = err
		o.took = time.Since(start)
		return o
	}
	defer conn.Close()
	_ = conn.SetDeadline(start.Add(observeTimeout))
	fmt.Fprintf(conn, "POST %s HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nConnection: close\r\nContent-Length: %d\r\n\r\n%s", path, len(body), body)
	br := bufio.NewReader(conn)
	resp, err := http.ReadResponse(br, nil)
	if err != nil {
		o.err, o.took = err, time.Since(start)
		return o
	}
	o.status, o.header = resp.StatusCode, resp.Header
	b, err := io.ReadAll(resp.Body)
	o.body, o.bytes = string(b), len(b)
	if err == nil {
		_, err = io.Copy(io.Discard, br) // until the close
	}
	o.err, o.took = err, time.Since(start)
	return o
}

// TestREADMEFaultTablesAreTheRegistry: every registered type is in the README's fault
// tables, and every name there is registered.
func TestREADMEFaultTablesAreTheRegistry(t *testing.T) {
	readme, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	s := string(readme)
	// The Faults section runs to the next heading (### Provider surfaces, whose
	// surfaces × faults table names faults again, is not a fault table).
	i := strings.Index(s, "\n### Faults\n")
	if i < 0 {
		t.Fatal("README.md has no ### Faults section")
	}
	j := strings.Index(s[i+1:], "\n#")
	if j < 0 {
		t.Fatal("README.md's ### Faults section has no heading after it")
	}
	j += i + 1
	var inREADME []string
	for _, m := range regexp.MustCompile("(?m)^\\| `([a-z-]+)` \\|").FindAllStringSubmatch(s[i:j], -1) {
		inREADME = append(inREADME, m[1])
	}
	var registered []string
	for _, typ := range fault.Types() {
		registered = append(registered, typ.Name)
	}
	slices.Sort(inREADME)
	slices.Sort(registered)
	if !slices.Equal(inREADME, registered) {
		t.Fatalf("README fault tables list %v\nthe registry has     %v", inREADME, registered)
	}
}
