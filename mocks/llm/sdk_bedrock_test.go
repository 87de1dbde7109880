package llm

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime/document"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime/types"
	"github.com/aws/smithy-go"
	"github.com/llmchaos/llmchaos/mocks/control"
)

// Bedrock's Converse API through the official AWS SDK for Go v2 (bedrockruntime
// v1.63.13), unmodified: static credentials (SigV4 signs, the mock does not check),
// BaseEndpoint pointed at the mock, the SDK's default retryer.

const bedrockModel = "anthropic.claude-3-5-haiku-20241022-v1:0"

func bedrockClient(url string) *bedrockruntime.Client {
	return bedrockruntime.New(bedrockruntime.Options{
		Region:       "us-east-1",
		BaseEndpoint: aws.String(url),
		HTTPClient:   ownBodyClient{},
		Credentials: aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
			return aws.Credentials{AccessKeyID: "AKIDLLMCHAOSEXAMPLE", SecretAccessKey: "llmchaos-secret", Source: "static"}, nil
		}),
	})
}

// ownBodyClient hands net/http its own copy of each request body. The SDK closes the
// body it passed to net/http once the response headers are in (aws-sdk-go-v2 issues 1825
// and 2737); against a mock on loopback, under -race, net/http's write loop is at times
// not done with it, the transport closes the connection, and the event stream being read
// fails with "use of closed network connection" (about 1 stream in 40 here). That is the
// SDK and net/http racing, not the mock (the driver's own decoder reads the same streams
// whole), so the proofs use this client.
type ownBodyClient struct{}

func (ownBodyClient) Do(req *http.Request) (*http.Response, error) {
	if req.Body != nil && req.Body != http.NoBody {
		b, err := io.ReadAll(req.Body)
		if err != nil {
			return nil, err
		}
		req = req.Clone(req.Context())
		req.Body = io.NopCloser(bytes.NewReader(b))
		req.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(b)), nil }
	}
	return http.DefaultClient.Do(req)
}

func bedrockMessages(tag string) []types.Message {
	return []types.Message{{Role: types.ConversationRoleUser, Content: []types.ContentBlock{
		&types.ContentBlockMemberText{Value: "Say something. " + Tag(tag)},
	}}}
}

func bedrockTools() *types.ToolConfiguration {
	return &types.ToolConfiguration{
		Tools: []types.Tool{&types.ToolMemberToolSpec{Value: types.ToolSpecification{
			Name: aws.String("get_weather"), InputSchema: &types.ToolInputSchemaMemberJson{Value: document.NewLazyDocument(weatherSchema())},
		}}},
		ToolChoice: &types.ToolChoiceMemberAny{},
	}
}

// bedrockText joins the text blocks of a Converse message.
func bedrockText(m types.Message) string {
	var b strings.Builder
	for _, c := range m.Content {
		if t, ok := c.(*types.ContentBlockMemberText); ok {
			b.WriteString(t.Value)
		}
	}
	return b.String()
}

// bedrockStreamed is what a ConverseStream's events added up to.
type bedrockStreamed struct {
	text       strings.Builder
	toolName   string
	toolInput  strings.Builder
	stopReason types.StopReason
	usage      *types.TokenUsage
	err        error // the stream's Err() once its events ended
}

func bedrockStream(t *testing.T, c *bedrockruntime.Client, in *bedrockruntime.ConverseStreamInput) (*bedrockStreamed, error) {
	t.Helper()
	out, err := c.ConverseStream(context.Background(), in)
	if err != nil {
		return nil, err
	}
	st := out.GetStream()
	defer st.Close()
	var got bedrockStreamed
	for ev := range st.Events() {
		switch e := ev.(type) {
		case *types.ConverseStreamOutputMemberContentBlockStart:
			if tu, ok := e.Value.Start.(*types.ContentBlockStartMemberToolUse); ok {
				got.toolName = aws.ToString(tu.Value.Name)
			}
		case *types.ConverseStreamOutputMemberContentBlockDelta:
			switch d := e.Value.Delta.(type) {
			case *types.ContentBlockDeltaMemberText:
				got.text.WriteString(d.Value)
			case *types.ContentBlockDeltaMemberToolUse:
				got.toolInput.WriteString(aws.ToString(d.Value.Input))
			}
		case *types.ConverseStreamOutputMemberMessageStop:
			got.stopReason = e.Value.StopReason
		case *types.ConverseStreamOutputMemberMetadata:
			got.usage = e.Value.Usage
		}
	}
	got.err = st.Err()
	return &got, nil
}

func TestBedrockSDKConverse(t *testing.T) {
	s, hs := start(t)
	c := bedrockClient(hs.URL)
	out, err := c.Converse(context.Background(), &bedrockruntime.ConverseInput{ModelId: aws.String(bedrockModel), Messages: bedrockMessages("br-1")})
	if err != nil {
		t.Fatal(err)
	}
	msg := out.Output.(*types.ConverseOutputMemberMessage).Value
	if a, err := Verify(bedrockText(msg)); err != nil || a.ID != "br-1" || out.StopReason != types.StopReasonEndTurn {
		t.Fatalf("answer %+v %v, stop %q", a, err, out.StopReason)
	}
	if out.Usage == nil || aws.ToInt32(out.Usage.OutputTokens) != DefaultAnswerWords+2 {
		t.Fatalf("usage %+v", out.Usage)
	}
	at := waitAttempts(t, s, 1)[0]
	if at.Path != "/model/"+bedrockModel+"/converse" || at.CorrelationID != "br-1" || at.RetryCount != 0 || !at.Complete {
		t.Fatalf("journal %+v", at)
	}

	got, err := bedrockStream(t, c, &bedrockruntime.ConverseStreamInput{ModelId: aws.String(bedrockModel), Messages: bedrockMessages("br-2")})
	if err != nil || got.err != nil {
		t.Fatalf("stream: %v / %v", err, got.err)
	}
	if a, err := Verify(got.text.String()); err != nil || a.ID != "br-2" || got.stopReason != types.StopReasonEndTurn || got.usage == nil {
		t.Fatalf("streamed %+v %v, stop %q, usage %v", a, err, got.stopReason, got.usage)
	}
}

func TestBedrockSDKToolUse(t *testing.T) {
	_, hs := start(t)
	c := bedrockClient(hs.URL)
	ctx := context.Background()
	out, err := c.Converse(ctx, &bedrockruntime.ConverseInput{ModelId: aws.String(bedrockModel), Messages: bedrockMessages("br-tool-1"), ToolConfig: bedrockTools()})
	if err != nil {
		t.Fatal(err)
	}
	msg := out.Output.(*types.ConverseOutputMemberMessage).Value
	tu, ok := msg.Content[0].(*types.ContentBlockMemberToolUse)
	if !ok || out.StopReason != types.StopReasonToolUse {
		t.Fatalf("whole answer %+v, stop %q", msg.Content, out.StopReason)
	}
	input, err := tu.Value.Input.MarshalSmithyDocument()
	if err != nil {
		t.Fatal(err)
	}
	if p, err := VerifyToolCall(aws.ToString(tu.Value.Name), string(input)); err != nil || p.ID != "br-tool-1" {
		t.Fatalf("toolUse input %s: %+v %v", input, p, err)
	}

	got, err := bedrockStream(t, c, &bedrockruntime.ConverseStreamInput{ModelId: aws.String(bedrockModel), Messages: bedrockMessages("br-tool-2"), ToolConfig: bedrockTools()})
	if err != nil || got.err != nil || got.stopReason != types.StopReasonToolUse {
		t.Fatalf("stream: %v / %v, stop %q", err, got, got.stopReason)
	}
	if p, err := VerifyToolCall(got.toolName, got.toolInput.String()); err != nil || p.ID != "br-tool-2" {
		t.Fatalf("streamed input %q: %+v %v", got.toolInput.String(), p, err)
	}

	// The follow-up with the tool's result gets the final text.
	follow := append(bedrockMessages("br-tool-1"), msg, types.Message{Role: types.ConversationRoleUser, Content: []types.ContentBlock{
		&types.ContentBlockMemberToolResult{Value: types.ToolResultBlock{ToolUseId: tu.Value.ToolUseId,
			Content: []types.ToolResultContentBlock{&types.ToolResultContentBlockMemberText{Value: "18 degrees"}}}},
	}})
	out, err = c.Converse(ctx, &bedrockruntime.ConverseInput{ModelId: aws.String(bedrockModel), Messages: follow, ToolConfig: bedrockTools()})
	if err != nil {
		t.Fatal(err)
	}
	if a, err := Verify(bedrockText(out.Output.(*types.ConverseOutputMemberMessage).Value)); err != nil || a.ID != "br-tool-1" {
		t.Fatalf("follow-up %+v %v", a, err)
	}
}

// TestBedrockSDKRetries: the SDK's standard retryer retries a 429 ThrottlingException
// and a 503 ServiceUnavailableException (3 attempts in all), and waits at least the
// x-amz-retry-after the mock sends (it clamps the hint to [backoff, backoff+5s]); without
// the hint a 503's backoff is a jittered 50 ms × 2^n, far below it. A 400
// ValidationException is not retried.
func TestBedrockSDKRetries(t *testing.T) {
	ctx := context.Background()
	in := &bedrockruntime.ConverseInput{ModelId: aws.String(bedrockModel), Messages: bedrockMessages("br-retry")}
	for _, tc := range []struct {
		name     string
		fault    control.Fault
		attempts int
		minGap   time.Duration // every gap between attempts at least this
		maxGap   time.Duration // and at most this (0: no bound)
		fails    string        // the error code the call ends with, "" for success
	}{
		{"429 throttled", control.Fault{Type: control.TypeRateLimit, Scope: control.Scope{FirstN: 2}}, 3, 0, 0, ""},
		{"503 with x-amz-retry-after 400ms", control.Fault{Type: control.TypeStatus, Status: 503, RetryAfter: control.Duration(400 * time.Millisecond), Scope: control.Scope{FirstN: 2}}, 3, 400 * time.Millisecond, 0, ""},
		{"503 without a hint", control.Fault{Type: control.TypeStatus, Status: 503, Scope: control.Scope{FirstN: 2}}, 3, 0, 300 * time.Millisecond, ""},
		{"503 every time", control.Fault{Type: control.TypeOverloaded}, 3, 0, 0, "ServiceUnavailableException"},
		{"400 not retried", control.Fault{Type: control.TypeContextLength}, 1, 0, 0, "ValidationException"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, hs := start(t)
			setFault(t, s, tc.fault)
			_, err := bedrockClient(hs.URL).Converse(ctx, in)
			var api smithy.APIError
			switch {
			case tc.fails == "" && err != nil:
				t.Fatalf("the SDK gave up: %v", err)
			case tc.fails != "" && (!errors.As(err, &api) || api.ErrorCode() != tc.fails):
				t.Fatalf("error %v, want %s", err, tc.fails)
			}
			at := waitAttempts(t, s, tc.attempts)
			if len(at) != tc.attempts {
				t.Fatalf("%d attempts, want %d", len(at), tc.attempts)
			}
			for i := 1; i < len(at); i++ {
				gap := at[i].Arrived.Sub(at[i-1].Arrived)
				if gap < tc.minGap || tc.maxGap > 0 && gap > tc.maxGap {
					t.Errorf("attempt %d came %v after the one before, want within [%v, %v]", i+1, gap, tc.minGap, tc.maxGap)
				}
				if at[i].RetryCount != i {
					t.Errorf("attempt %d: amz-sdk-request says retry %d", i+1, at[i].RetryCount)
				}
			}
		})
	}
}

// TestBedrockSDKStreamFaults: an exception inside the stream is an error from the
// stream's Err() (typed: *types.ThrottlingException), after the text before it, and the
// SDK does not retry it (the stream had started); a stream cut cleanly between frames
// ends the events with Err() nil: a silent cut that only the missing messageStop (and
// Verify) shows.
func TestBedrockSDKStreamFaults(t *testing.T) {
	in := func(tag string) *bedrockruntime.ConverseStreamInput {
		return &bedrockruntime.ConverseStreamInput{ModelId: aws.String(bedrockModel), Messages: bedrockMessages(tag)}
	}
	s, hs := start(t)
	c := bedrockClient(hs.URL)
	setFault(t, s, control.Fault{Type: control.TypeStreamError, Status: 429, AfterChunks: 3})
	got, err := bedrockStream(t, c, in("br-exc"))
	var throttled *types.ThrottlingException
	if err != nil || !errors.As(got.err, &throttled) {
		t.Fatalf("in-stream exception: %v, Err() %v: want a *types.ThrottlingException", err, got.err)
	}
	if _, verr := Verify(got.text.String()); verr == nil || got.text.Len() == 0 || got.stopReason != "" {
		t.Fatalf("text before the exception %q, stop %q", got.text.String(), got.stopReason)
	}
	if n := len(waitAttempts(t, s, 1)); n != 1 {
		t.Fatalf("%d attempts: the SDK retried a started stream", n)
	}

	s.ClearFaults()
	setFault(t, s, control.Fault{Type: control.TypeTruncate, AfterChunks: 4})
	got, err = bedrockStream(t, c, in("br-cut"))
	if err != nil || got.err != nil {
		t.Fatalf("a cut stream: %v, Err() %v: want no error (the SDK ends it silently)", err, got.err)
	}
	if _, verr := Verify(got.text.String()); verr == nil || got.stopReason != "" {
		t.Fatalf("cut stream text %q verified or stop %q: want a cut answer and no messageStop", got.text.String(), got.stopReason)
	}

	s.ClearFaults()
	setFault(t, s, control.Fault{Type: control.TypeMalformed, AfterChunks: 2})
	got, err = bedrockStream(t, c, in("br-bad"))
	if err != nil || got.err == nil {
		t.Fatalf("a frame whose JSON is cut: %v, Err() %v: want a deserialization error", err, got.err)
	}
}

// TestBedrockSDKProviderErrors: each semantic fault as the SDK reports it.
func TestBedrockSDKProviderErrors(t *testing.T) {
	for _, tc := range []struct {
		fault control.FaultType
		code  string
	}{
		{control.TypeContextLength, "ValidationException"},
		{control.TypeModelNotFound, "ValidationException"},
		{control.TypeInvalidKey, "UnrecognizedClientException"},
		{control.TypeInsufficientQuota, "ServiceQuotaExceededException"},
	} {
		s, hs := start(t)
		setFault(t, s, control.Fault{Type: tc.fault})
		_, err := bedrockClient(hs.URL).Converse(context.Background(), &bedrockruntime.ConverseInput{ModelId: aws.String(bedrockModel), Messages: bedrockMessages("br-pe")})
		var api smithy.APIError
		if !errors.As(err, &api) || api.ErrorCode() != tc.code {
			t.Errorf("%s: %v, want %s", tc.fault, err, tc.code)
		}
	}
	s, hs := start(t)
	setFault(t, s, control.Fault{Type: control.TypeContentFilter})
	out, err := bedrockClient(hs.URL).Converse(context.Background(), &bedrockruntime.ConverseInput{ModelId: aws.String(bedrockModel), Messages: bedrockMessages("br-cf")})
	if err != nil || out.StopReason != types.StopReasonContentFiltered {
		t.Fatalf("content filter: %v, stop %q", err, out.StopReason)
	}
	b, _ := json.Marshal(out.Output)
	if strings.Contains(string(b), "llmchaos upstream") {
		t.Fatalf("a filtered prompt got text: %s", b)
	}
}

// TestBedrockSDKCutInsideAFrame: a stream cut in the middle of a frame (a connection
// that breaks, Toxiproxy's limit-data) ends the SDK's events with Err() nil too:
// smithy-go's event-stream codec takes io.ErrUnexpectedEOF for the end of the stream.
func TestBedrockSDKCutInsideAFrame(t *testing.T) {
	c := &call{model: bedrockModel, promptTokens: 3, began: time.Now()}
	d := bedrockDialect{model: bedrockModel, stream: true}
	body := d.appendStart(nil, c)
	body = d.appendToken(body, c, "[llmchaos upstream=x id=y]")
	whole := len(body)
	body = d.appendToken(body, c, " lorem")
	body = body[:whole+(len(body)-whole)/2] // half of the second delta's frame
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/vnd.amazon.eventstream")
		_, _ = w.Write(body)
	}))
	defer hs.Close()
	got, err := bedrockStream(t, bedrockClient(hs.URL), &bedrockruntime.ConverseStreamInput{ModelId: aws.String(bedrockModel), Messages: bedrockMessages("x")})
	if err != nil || got.err != nil || got.text.String() != "[llmchaos upstream=x id=y]" {
		t.Fatalf("cut inside a frame: %v, Err() %v, text %q: want the first delta and no error", err, got.err, got.text.String())
	}
}
