package ingest

import (
	"testing"
	"time"
)

// BenchmarkProcess measures one item without NATS: robots.txt (cached),
// page fetch over loopback HTTP, extraction, language detection and topic
// scoring.
func BenchmarkProcess(b *testing.B) {
	site := newSite(b)
	cfg := testConfig(FeedConfig{ID: "x", Name: "X", URL: site.URL("/feeds/de.xml"), Language: "de"})
	cfg.PerHostInterval = time.Nanosecond
	st := newStage(b, newTestBus(b), cfg)
	item := FeedItem{ID: "1", Link: site.URL("/articles/exportkontrollen.html"), Title: "USA verschärfen Exportkontrollen für KI-Chips"}
	for b.Loop() {
		if _, err := st.Process(b.Context(), cfg.Feeds[0], item, time.Now()); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkPollOnceSeen measures a re-poll of a feed whose items are all
// seen: fetch, parse and one seen-gate lookup per item.
func BenchmarkPollOnceSeen(b *testing.B) {
	site := newSite(b)
	cfg := testConfig(FeedConfig{ID: "testwire", Name: "Test Wire", URL: site.URL("/feeds/en.xml")})
	cfg.PerHostInterval = time.Nanosecond
	st := newStage(b, newTestBus(b), cfg)
	if _, err := st.PollOnce(b.Context()); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		stats, err := st.PollOnce(b.Context())
		if err != nil || stats.ItemsSeen != 2 {
			b.Fatalf("%+v %v", stats, err)
		}
	}
}
