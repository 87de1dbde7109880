package scenarios

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// Error is a problem with a scenario file: where it is and what is wrong.
// Its message reads "FILE:LINE: FIELD: what is wrong"; a message quoting a long value is
// cut in the middle (Msg keeps it whole).
type Error struct {
	File  string
	Line  int
	Field string
	Msg   string
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Line > 0 {
		b.WriteString(":" + strconv.Itoa(e.Line))
	}
	b.WriteString(": ")
	if e.Field != "" {
		b.WriteString(e.Field + ": ")
	}
	b.WriteString(clipMessage(e.Msg))
	return b.String()
}

// lineError is what leaf decoders return; the loader adds the file.
type lineError struct {
	line int
	msg  string
}

func (e *lineError) Error() string { return fmt.Sprintf("line %d: %s", e.line, e.msg) }

var yamlLineRE = regexp.MustCompile(`line (\d+): (.*)`)
var unknownFieldRE = regexp.MustCompile(`field (\S+) not found in type scenarios\.y(\w+)`)

// fromYAML turns a yaml.v3 decoding error into an *Error for file.
func fromYAML(file string, err error) error {
	var le *lineError
	if errors.As(err, &le) {
		return &Error{File: file, Line: le.line, Msg: le.msg}
	}
	msg := err.Error()
	msg = strings.TrimPrefix(msg, "yaml: unmarshal errors:\n")
	first := strings.TrimSpace(strings.SplitN(msg, "\n", 2)[0])
	first = strings.TrimPrefix(first, "yaml: ")
	m := yamlLineRE.FindStringSubmatch(first)
	if m == nil {
		return &Error{File: file, Msg: first}
	}
	line, _ := strconv.Atoi(m[1])
	text := m[2]
	if u := unknownFieldRE.FindStringSubmatch(text); u != nil {
		section := sectionName(u[2])
		return &Error{File: file, Line: line, Field: joinField(section, u[1]),
			Msg: fmt.Sprintf("unknown field %q in %s (check its spelling; allowed: %s)", u[1], sectionOrTop(section), allowedFields(u[2]))}
	}
	return &Error{File: file, Line: line, Msg: text}
}

func joinField(section, field string) string {
	if section == "" {
		return field
	}
	return section + "." + field
}

func sectionOrTop(s string) string {
	if s == "" {
		return "the scenario"
	}
	return s
}
