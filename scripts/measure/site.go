package main

import (
	"fmt"
	"time"

	"github.com/newsdesk/newsdesk/scripts/internal/testbed"
)

// newSite makes feeds×items on-topic articles (the bundled sample site's
// texts) released between from and from+spread (all at once when spread
// is 0). Every article gets a sentence of its own in its lead, so that no
// two share a brief in the briefs cache: each costs one LLM call, as
// distinct news does.
func newSite(feeds, items int, from time.Time, spread time.Duration) *testbed.Site {
	s := &testbed.Site{
		FeedTitle:   func(f int) string { return fmt.Sprintf("Desk %d", f) },
		Description: "measurement feed",
	}
	s.Generate(feeds, items, func(f, i int) time.Time {
		if spread == 0 {
			return from
		}
		return from.Add(spread * time.Duration(i*feeds+f) / time.Duration(feeds*items))
	}, func(f, i int, lang string) string {
		if lang == "de" {
			return fmt.Sprintf("Dies ist Meldung %d von Redaktion %d.", i, f)
		}
		return fmt.Sprintf("This is report %d of desk %d.", i, f)
	})
	return s
}
