package load

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net/http"
	"regexp"
	"slices"
	"strings"

	"github.com/llmchaos/llmchaos/harness/tmpl"
	"github.com/llmchaos/llmchaos/mocks/llm"
)

// httpProtocol is a generic HTTP request: templated body, success by status (and an
// optional substring), and a mock answer checked when the body carries one.
type httpProtocol struct {
	bodyT    *tmpl.Template
	statuses []int
	contains string
}

var _ wireProtocol = (*httpProtocol)(nil)

func newHTTPProtocol(spec Request) (*httpProtocol, error) {
	bt, err := tmpl.Parse("load.request.body", spec.Body)
	if err != nil {
		return nil, err
	}
	return &httpProtocol{bodyT: bt, statuses: slices.Clone(spec.SuccessStatus), contains: spec.SuccessContains}, nil
}

func (p *httpProtocol) defaults() (string, string) { return http.MethodGet, "/" }

func (p *httpProtocol) success(status int) bool {
	if len(p.statuses) == 0 {
		return protoIs2xx(status)
	}
	return slices.Contains(p.statuses, status)
}

func (p *httpProtocol) body(data *tmpl.Request) ([]byte, http.Header, error) {
	s, err := p.bodyT.Render(data)
	if err != nil || s == "" {
		return nil, nil, err
	}
	ct := "text/plain; charset=utf-8"
	if t := strings.TrimSpace(s); strings.HasPrefix(t, "{") || strings.HasPrefix(t, "[") {
		ct = "application/json"
	}
	return []byte(s), http.Header{"Content-Type": {ct}}, nil
}

func (p *httpProtocol) decode(body io.Reader, _ func(), _ int) protoDecoded {
	b, failed, ok := protoReadBody(body)
	if !ok {
		return failed
	}
	text := answerInBody(b)
	if p.contains != "" && !bytes.Contains(b, []byte(p.contains)) && !strings.Contains(text, p.contains) {
		return protoDecoded{text: text, outcome: OutcomeHTTPError, detail: fmt.Sprintf("body does not contain %q", driverClip(p.contains, 60))}
	}
	if llm.ServedBy(text) == "" {
		return protoDecoded{text: text, outcome: OutcomeOK}
	}
	return protoVerify(text)
}

var (
	answerHeadRE = regexp.MustCompile(`\[llmchaos upstream=[^ \]]+ id=[^ \]]*\]`)
	answerEndRE  = regexp.MustCompile(` <<end upstream=[^ ]+ id=[^ ]* n=\d+ sum=[0-9a-f]{8}>>`)
)

// answerInBody finds a mock answer in a body: inside a JSON string when the body is JSON
// (JSON escapes < and >), else in the raw text. It returns the text from the answer's head
// to the end of its end marker (or to the end, when the marker is missing), or "" when the
// body names no upstream.
func answerInBody(b []byte) string {
	text := string(b)
	var v any
	if json.Valid(b) && json.Unmarshal(b, &v) == nil {
		if s, ok := jsonStringWithAnswer(v); ok {
			text = s
		}
	}
	head := answerHeadRE.FindStringIndex(text)
	if head == nil {
		return ""
	}
	text = text[head[0]:]
	if end := answerEndRE.FindStringIndex(text); end != nil {
		text = text[:end[1]]
	}
	return text
}

// jsonStringWithAnswer returns the first string in v that holds an answer head.
func jsonStringWithAnswer(v any) (string, bool) {
	switch x := v.(type) {
	case string:
		return x, answerHeadRE.MatchString(x)
	case []any:
		for _, e := range x {
			if s, ok := jsonStringWithAnswer(e); ok {
				return s, true
			}
		}
	case map[string]any:
		for _, k := range slices.Sorted(maps.Keys(x)) {
			if s, ok := jsonStringWithAnswer(x[k]); ok {
				return s, true
			}
		}
	}
	return "", false
}
