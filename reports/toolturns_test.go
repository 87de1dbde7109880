package reports

import (
	"bytes"
	"strings"
	"testing"
)

// TestToolCallTurnsShown: a run with tool-calling load shows its tool-call turns per
// phase in the Markdown and the HTML; a run without shows nothing about them (the
// fixtures: their golden files have no such line).
func TestToolCallTurnsShown(t *testing.T) {
	reps := fixtureReports()
	r := *reps[0]
	r.Phases = append([]Phase(nil), r.Phases...)
	r.Phases[0].ToolCallTurns = 17
	var md bytes.Buffer
	if err := (Markdown{}).Render(&md, []*Report{&r}, nil); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(md.String(), "Tool-call turns (answers that were a tool call, each followed up with its result): "+r.Phases[0].Name+" 17") {
		t.Fatalf("markdown lacks the tool-call turns:\n%s", md.String())
	}
	var plain bytes.Buffer
	if err := (Markdown{}).Render(&plain, reps[:1], nil); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(plain.String(), "Tool-call turns") {
		t.Fatal("a run without tool calls shows tool-call turns")
	}
}
