package main

import (
	"fmt"
	"strings"
	"time"

	"github.com/newsdesk/newsdesk/scripts/internal/testbed"
)

// newFeedSite is the local feed server: feeds feeds with items articles
// each, all on the topic (the bundled sample site's on-topic texts under
// new titles), released one after another over the ingest phase so that
// ingest has work all through the faults.
func newFeedSite(feeds, items int, start time.Time, phase time.Duration) *testbed.Site {
	bases := testbed.OnTopicTexts()
	s := &testbed.Site{
		FeedTitle:   func(f int) string { return "Feed " + testbed.FeedID(f) },
		Description: "fault test feed",
		Nav:         "<nav><a href=\"/\">Start</a> <a href=\"/tech\">Tech</a></nav>\n",
		Footer:      "\n<footer>Fault test site</footer>",
	}
	k := 0
	for f := range feeds {
		lang := []string{"de", "en"}[f%2]
		s.Langs = append(s.Langs, lang)
		var arts []testbed.Page
		for i := range items {
			b := bases[lang][k%len(bases[lang])]
			k++
			// Spread releases over the phase: item i of every feed in the
			// i-th slice of it, feeds staggered inside the slice.
			slice := phase / time.Duration(items)
			at := start.Add(time.Duration(i)*slice + slice*time.Duration(f)/time.Duration(feeds))
			arts = append(arts, testbed.Page{
				Path:    testbed.PagePath(f, i),
				Title:   fmt.Sprintf("%s (%d-%d)", b.Title, f, i),
				Lang:    lang,
				Paras:   strings.Split(b.Text, "\n\n"),
				Release: at,
			})
		}
		s.Feeds = append(s.Feeds, arts)
	}
	return s
}

// expected is every article's URL.
func expected(s *testbed.Site) map[string]bool {
	m := map[string]bool{}
	for _, arts := range s.Feeds {
		for _, a := range arts {
			m[s.Base+a.Path] = true
		}
	}
	return m
}
