package main

import (
	"fmt"
	"strings"
	"time"

	"github.com/newsdesk/newsdesk/scripts/internal/testbed"
)

// newSite makes feeds×items on-topic articles (the bundled sample site's
// texts) released between from and from+spread (all at once when spread
// is 0). Every article gets a sentence of its own in its lead, so that no
// two share a brief in the briefs cache: each costs one LLM call, as
// distinct news does.
func newSite(feeds, items int, from time.Time, spread time.Duration) *testbed.Site {
	bases := testbed.OnTopicTexts()
	s := &testbed.Site{
		FeedTitle:   func(f int) string { return fmt.Sprintf("Desk %d", f) },
		Description: "measurement feed",
	}
	k := 0
	for f := range feeds {
		lang := []string{"de", "en"}[f%2]
		s.Langs = append(s.Langs, lang)
		var ps []testbed.Page
		for i := range items {
			b := bases[lang][k%len(bases[lang])]
			k++
			paras := strings.Split(b.Text, "\n\n")
			own := fmt.Sprintf("This is report %d of desk %d.", i, f)
			if lang == "de" {
				own = fmt.Sprintf("Dies ist Meldung %d von Redaktion %d.", i, f)
			}
			paras[0] = own + " " + paras[0]
			at := from
			if spread > 0 {
				at = from.Add(spread * time.Duration(i*feeds+f) / time.Duration(feeds*items))
			}
			ps = append(ps, testbed.Page{
				Path: testbed.PagePath(f, i), Title: fmt.Sprintf("%s (%d-%d)", b.Title, f, i),
				Lang: lang, Paras: paras, Release: at,
			})
		}
		s.Feeds = append(s.Feeds, ps)
	}
	return s
}
