package load

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/llmchaos/llmchaos/harness/tmpl"
	"github.com/llmchaos/llmchaos/mocks/llm"
)

// driverErrorMax bounds Sample.Error.
const driverErrorMax = 200

// newRequest builds request seq: rendered path and headers, the protocol's body, and the
// correlation id in X-Request-Id.
func (d *Driver) newRequest(ctx context.Context, seq int) (*http.Request, error) {
	data := &tmpl.Request{Data: d.data, ID: d.ID(seq), Seq: seq}
	body, hdr, err := d.proto.body(data)
	if err != nil {
		return nil, fmt.Errorf("build the %s request body: %w", d.method, err)
	}
	return d.buildRequest(ctx, data, body, hdr)
}

// buildRequest builds the request for data with body and the protocol's headers hdr.
func (d *Driver) buildRequest(ctx context.Context, data *tmpl.Request, body []byte, hdr http.Header) (*http.Request, error) {
	path, err := d.path.Render(data)
	if err != nil {
		return nil, err
	}
	if !strings.HasPrefix(path, "/") {
		path = "/" + path
	}
	var r io.Reader
	if len(body) > 0 {
		r = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, d.method, d.base+path, r)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return nil, fmt.Errorf("build request %s %s%s: %w", d.method, d.base, path, err)
	}
	for k, v := range hdr {
		req.Header[k] = v
	}
	req.Header.Set("X-Request-Id", data.ID)
	for _, h := range d.headers {
		v, err := h.t.Render(data)
		if err != nil {
			return nil, err
		}
		if strings.EqualFold(h.name, "Host") {
			req.Host = v
			continue
		}
		req.Header.Set(h.name, v)
	}
	return req, nil
}

// do sends request seq, scheduled at at, and returns its sample (Phase unset). For a
// tool-calling request whose first answer holds verified tool calls it then sends the
// follow-up with the tools' results (within the same deadline), and the sample is that
// second answer's judgement.
func (d *Driver) do(ctx context.Context, seq int, at time.Time) Sample {
	s := Sample{Seq: seq, ID: d.ID(seq), Scheduled: at}
	s.SetStarted(time.Now())
	reqCtx, cancel := context.WithDeadline(ctx, at.Add(d.timeout))
	defer cancel()
	data := &tmpl.Request{Data: d.data, ID: s.ID, Seq: seq}
	body, hdr, err := d.proto.body(data)
	var req *http.Request
	if err == nil {
		req, err = d.buildRequest(reqCtx, data, body, hdr)
	}
	if err != nil {
		s.SetEnded(time.Now())
		s.Outcome, s.Error = OutcomeConnError, driverClip("not sent: "+err.Error(), driverErrorMax)
		return s
	}
	dec := d.turn(ctx, reqCtx, req, &s, 0)
	fu, ok := d.proto.(followUpProtocol)
	if !ok || s.Outcome != OutcomeOK || len(dec.calls) == 0 {
		return s
	}
	s.ToolCalls = uint8(min(len(dec.calls), 255))
	if body, err = fu.followUp(data, dec.calls); err == nil {
		req, err = d.buildRequest(reqCtx, data, body, hdr)
	}
	if err != nil {
		s.SetEnded(time.Now())
		s.Outcome, s.Error = OutcomeConnError, driverClip("follow-up not sent: "+err.Error(), driverErrorMax)
		return s
	}
	d.turn(ctx, reqCtx, req, &s, 1)
	return s
}

// turn sends req, the sample's turn (0 the request, 1 the follow-up), and judges its
// answer into s: status, outcome, error, served by, end, bytes (added), first token
// (the first turn's).
func (d *Driver) turn(ctx, reqCtx context.Context, req *http.Request, s *Sample, turn int) protoDecoded {
	s.Turns++ // at most 2
	resp, err := d.client.Do(req)
	if err != nil {
		s.SetEnded(time.Now())
		s.Outcome, s.Error = d.failure(ctx, reqCtx, err, OutcomeConnError, "no response")
		return protoDecoded{}
	}
	defer resp.Body.Close()
	s.Status = resp.StatusCode
	body := &driverBody{r: resp.Body}
	var dec protoDecoded
	if !d.proto.success(resp.StatusCode) {
		b, _, _ := protoReadAll(body, 64<<10)
		s.SetEnded(time.Now())
		s.Outcome = OutcomeHTTPError
		s.Error = driverClip(fmt.Sprintf("HTTP %d: %s", resp.StatusCode, strings.TrimSpace(string(b))), driverErrorMax)
		if by := llm.ServedBy(string(b)); by != "" || turn == 0 {
			s.ServedBy = by
		}
	} else {
		dec = d.proto.decode(body, body.markToken, turn)
		s.SetEnded(time.Now())
		if by := dec.servedBy(); by != "" || turn == 0 {
			s.ServedBy = by
		}
		if dec.readErr != nil {
			s.Outcome, s.Error = d.failure(ctx, reqCtx, dec.readErr, OutcomeIncomplete, "body broke after the status")
		} else {
			s.Outcome, s.Error = dec.outcome, driverClip(dec.detail, driverErrorMax)
		}
	}
	s.Bytes += body.n
	if turn == 0 {
		if first := body.token; !first.IsZero() {
			s.SetFirstToken(first)
		} else {
			s.SetFirstToken(body.first)
		}
	}
	return dec
}

// failure classifies a transport error: the run stopped (ctx done) or the request's
// deadline passed give OutcomeTimeout; anything else is otherwise.
func (d *Driver) failure(ctx, reqCtx context.Context, err error, otherwise Outcome, what string) (Outcome, string) {
	switch {
	case ctx.Err() != nil:
		return OutcomeTimeout, "cancelled: the run stopped before the answer ended"
	case errors.Is(reqCtx.Err(), context.DeadlineExceeded):
		return OutcomeTimeout, fmt.Sprintf("no whole answer within the %s request timeout", d.timeout)
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	return otherwise, driverClip(what+": "+err.Error(), driverErrorMax)
}

// driverBody counts a response body's bytes and notes when the first arrived, and when
// the protocol saw the first token (markToken).
type driverBody struct {
	r     io.Reader
	n     int64
	first time.Time
	token time.Time
}

func (b *driverBody) markToken() {
	if b.token.IsZero() {
		b.token = time.Now()
	}
}

func (b *driverBody) Read(p []byte) (int, error) {
	n, err := b.r.Read(p)
	if n > 0 {
		if b.n == 0 {
			b.first = time.Now()
		}
		b.n += int64(n)
	}
	return n, err
}

// driverClip shortens s to at most n bytes.
func driverClip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
