package slo

import (
	"fmt"
	"strings"
)

// MeetSLOs succeeds when every expression holds. Expressions that do not parse make
// Match return an error.
func MeetSLOs(exprs ...string) *SLOMatcher {
	return &SLOMatcher{
		what:  fmt.Sprintf("meet its SLOs [%s]", strings.Join(exprs, "; ")),
		exprs: exprs,
	}
}
