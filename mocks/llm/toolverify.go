package llm

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"strconv"
)

// The ways tool-call arguments fail VerifyToolCall; the errors it returns wrap one.
var (
	// ErrArgumentsCut: the arguments are not a whole JSON object (cut inside, or empty).
	ErrArgumentsCut = errors.New("tool-call arguments are not a whole JSON object: cut short")
	// ErrNoProof: a JSON object without the mock's proof, such as the {} an app relays
	// for a call whose arguments never arrived.
	ErrNoProof = errors.New("tool-call arguments carry no llmchaos proof: lost or replaced")
	// ErrArgumentsAltered: the proof's checksum does not match the other arguments, or
	// it names another tool: part of them was lost or changed.
	ErrArgumentsAltered = errors.New("tool-call arguments fail their checksum: part of them was lost or altered")
)

// ToolCallProof is what a tool call's arguments say of themselves.
type ToolCallProof struct {
	Upstream string
	ID       string
	// Call is the call's index within its answer (0 for the first).
	Call int
}

var proofRE = regexp.MustCompile(`^\[llmchaos-call upstream=(\S+) id=(\S*) n=(\d+) sum=([0-9a-f]{8})\]$`)

// proofLooseRE finds a proof's head in any text, even cut after it.
var proofLooseRE = regexp.MustCompile(`\[llmchaos-call upstream=([^ \]"\\]+)`)

// proofText is the proof of call n to tool name for (upstream, id), over rest: the
// other arguments in canonical JSON.
func proofText(name, upstream, id string, n int, rest string) string {
	sum := fnv32aString(fnvOffset32, name)
	sum = fnv32aString(sum, "\x00"+upstream+"\x00"+id+"\x00"+strconv.Itoa(n)+"\x00")
	sum = fnv32aString(sum, rest)
	return "[llmchaos-call upstream=" + upstream + " id=" + id + " n=" + strconv.Itoa(n) + " sum=" + string(appendHex32(nil, sum)) + "]"
}

// VerifyToolCall checks that arguments, the JSON text a call to the tool name carried,
// are one whole set of mock arguments: a JSON object holding the proof, whose checksum
// matches the tool name and every other argument (compared in canonical JSON, so an app
// may re-encode them: change spacing, key order or escapes). It returns what the proof
// says, or an error wrapping ErrArgumentsCut, ErrNoProof or ErrArgumentsAltered.
func VerifyToolCall(name, arguments string) (ToolCallProof, error) {
	var args map[string]any
	dec := json.NewDecoder(bytes.NewReader([]byte(arguments)))
	dec.UseNumber()
	if err := dec.Decode(&args); err != nil || args == nil || dec.More() {
		return ToolCallProof{}, fmt.Errorf("%w (%q)", ErrArgumentsCut, clip(arguments, 60))
	}
	key, m := findProof(args)
	if m == nil {
		return ToolCallProof{}, fmt.Errorf("%w (%q)", ErrNoProof, clip(arguments, 60))
	}
	n, _ := strconv.Atoi(m[3])
	p := ToolCallProof{Upstream: m[1], ID: m[2], Call: n}
	delete(args, key)
	if want := proofText(name, p.Upstream, p.ID, n, canonicalJSON(args)); want != m[0] {
		return p, fmt.Errorf("%w (call to %s from %s)", ErrArgumentsAltered, name, p.Upstream)
	}
	return p, nil
}

// findProof returns the top-level property holding a well-formed proof and its parts.
func findProof(args map[string]any) (string, []string) {
	for k, v := range args {
		if s, ok := v.(string); ok {
			if m := proofRE.FindStringSubmatch(s); m != nil {
				return k, m
			}
		}
	}
	return "", nil
}

// ToolCallServedBy returns the upstream named in a tool call's arguments, even cut
// after the proof's head; "" if none.
func ToolCallServedBy(arguments string) string {
	m := proofLooseRE.FindStringSubmatch(arguments)
	if m == nil {
		return ""
	}
	return m[1]
}

func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
