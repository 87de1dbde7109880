package store

import (
	"fmt"
	"unicode/utf8"
)

// MaxUserLen bounds a user name's length in bytes.
const MaxUserLen = 128

// Message is one chat message.
type Message struct {
	Role    string `json:"role"`
	Content string `json:"content"`
}

// History is one user's chat history, as GET answers it.
type History struct {
	User     string    `json:"user"`
	Messages []Message `json:"messages"`
}

// Roles are the message roles the store accepts.
var Roles = []string{"system", "developer", "user", "assistant", "tool"}

// Validate reports a message the store refuses.
func (m Message) Validate() error {
	for _, r := range Roles {
		if m.Role == r {
			if !utf8.ValidString(m.Content) {
				return fmt.Errorf("message content is not valid UTF-8")
			}
			return nil
		}
	}
	return fmt.Errorf("message role %q is not one of %v", m.Role, Roles)
}

// validUser reports a user name the store refuses.
func validUser(u string) error {
	if u == "" || len(u) > MaxUserLen || !utf8.ValidString(u) {
		return fmt.Errorf("user %q must be 1 to %d bytes of UTF-8", u, MaxUserLen)
	}
	for _, r := range u {
		if r < 0x20 || r == 0x7f {
			return fmt.Errorf("user %q holds a control character", u)
		}
	}
	return nil
}
