package llm

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/llmchaos/llmchaos/mocks/control"
)

func TestCheckFault(t *testing.T) {
	yes := true
	for _, tc := range []struct {
		s     Surface
		f     control.Fault
		field string // "" when allowed
	}{
		{SurfaceGemini, control.Fault{Type: control.TypeToolCallCut}, "type"},
		{SurfaceGemini, control.Fault{Type: control.TypeStall, Keepalive: control.Duration(time.Second)}, "keepalive"},
		{SurfaceGemini, control.Fault{Type: control.TypeRateLimit, RetryAfter: control.Duration(time.Second), RetryAfterAs: control.RetryAfterMs}, "retry_after_as"},
		{SurfaceGemini, control.Fault{Type: control.TypeRateLimit, ShouldRetry: &yes}, "should_retry"},
		{SurfaceGemini, control.Fault{Type: control.TypeRateLimit, RetryAfter: control.Duration(time.Second)}, ""},
		{SurfaceGemini, control.Fault{Type: control.TypeStall}, ""},
		{SurfaceBedrock, control.Fault{Type: control.TypeStall, Keepalive: control.Duration(time.Second)}, "keepalive"},
		{SurfaceBedrock, control.Fault{Type: control.TypeStatus, Status: 503, RetryAfterAs: control.RetryAfterDate}, "retry_after_as"},
		{SurfaceBedrock, control.Fault{Type: control.TypeToolCallCut}, ""},
		{SurfaceBedrock, control.Fault{Type: control.TypeStreamError, Status: 429}, ""},
		{SurfaceAzureOpenAI, control.Fault{Type: control.TypeInsufficientQuota}, "type"},
		{SurfaceAzureOpenAI, control.Fault{Type: control.TypeRateLimit, RetryAfterAs: control.RetryAfterDate}, ""},
		{SurfaceOpenAI, control.Fault{Type: control.TypeStall, Keepalive: control.Duration(time.Second)}, ""},
		{SurfaceAnthropic, control.Fault{Type: control.TypeInsufficientQuota}, ""},
	} {
		err := CheckFault(tc.s, tc.f)
		var fe *control.FieldError
		switch {
		case tc.field == "" && err != nil:
			t.Errorf("%s %s: refused: %v", tc.s, tc.f.Type, err)
		case tc.field != "" && (!errors.As(err, &fe) || fe.Field != tc.field || !strings.Contains(fe.Msg, string(tc.s))):
			t.Errorf("%s %s: %v, want an error on %s naming the surface", tc.s, tc.f.Type, err, tc.field)
		}
	}
}
