package main

import (
	"time"

	"github.com/newsdesk/newsdesk/scripts/internal/testbed"
)

// newFeedSite is the local feed server: feeds feeds with items articles
// each, all on the topic (the bundled sample site's on-topic texts under
// new titles), released one after another over the ingest phase so that
// ingest has work all through the faults.
func newFeedSite(feeds, items int, start time.Time, phase time.Duration) *testbed.Site {
	s := &testbed.Site{
		FeedTitle:   func(f int) string { return "Feed " + testbed.FeedID(f) },
		Description: "fault test feed",
		Nav:         "<nav><a href=\"/\">Start</a> <a href=\"/tech\">Tech</a></nav>\n",
		Footer:      "\n<footer>Fault test site</footer>",
	}
	// Spread releases over the phase: item i of every feed in the i-th
	// slice of it, feeds staggered inside the slice.
	slice := phase / time.Duration(items)
	s.Generate(feeds, items, func(f, i int) time.Time {
		return start.Add(time.Duration(i)*slice + slice*time.Duration(f)/time.Duration(feeds))
	}, nil)
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
