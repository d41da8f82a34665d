package feed_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/newsdesk/newsdesk/publish/feed"
)

func BenchmarkFeeds50Items(b *testing.B) {
	var its []feed.Item
	for i := range 50 {
		its = append(its, feed.Item{
			ID: fmt.Sprintf("digest:daily:2026-10-%02d:de:p1", i%28+1), Title: "Übersicht", Date: "2026-10-01",
			URL: "https://news.example.org/archive/de/x.html", Published: time.Unix(int64(1e9+i*86400), 0).UTC(),
			Summary: "Zusammenfassung", ContentHTML: strings.Repeat("<p>Ein Absatz mit <a href=\"https://example.org/\">Link</a>.</p>", 40),
		})
	}
	b.ReportAllocs()
	for b.Loop() {
		for _, f := range formats {
			if _, err := f.enc(channel(), f.self, its); err != nil {
				b.Fatal(err)
			}
		}
	}
}
