package control

import (
	"fmt"
	"net/http"
	"strconv"
)

// HeaderJournalSeq is the admin API's header on GET journal: the journal's last sequence
// number when the answer was written.
const HeaderJournalSeq = "X-Llmchaos-Journal-Seq"

// Info is what the admin API's GET info answers: who the mock is and the state of its
// journal.
type Info struct {
	// Name is the upstream name the mock answers as.
	Name    string       `json:"name"`
	Journal JournalStats `json:"journal"`
}

// journalQueryOf reads a JournalQuery from the request's ?prefix= and ?after=.
func journalQueryOf(r *http.Request) (JournalQuery, error) {
	q := JournalQuery{Prefix: r.URL.Query().Get("prefix")}
	if s := r.URL.Query().Get("after"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 0 {
			return q, fmt.Errorf("journal: after=%q is not a sequence number (want an integer >= 0)", s)
		}
		q.After = n
	}
	return q, nil
}
