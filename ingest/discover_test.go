package ingest

import (
	"net/http"
	"reflect"
	"strings"
	"testing"
)

func TestDiscoverFeeds(t *testing.T) {
	tests := []struct {
		name, page string
		want       []string
	}{
		{"rss, atom and json in document order", `<html><head>
			<link rel="alternate" type="application/rss+xml" title="Alle Meldungen" href="/rss.xml">
			<link rel="stylesheet" href="/s.css">
			<link rel="alternate" type="application/atom+xml" href="https://other.example/atom">
			<link rel="alternate" type="application/feed+json" href="feed.json">
			</head><body></body></html>`,
			[]string{"https://news.example/rss.xml", "https://other.example/atom", "https://news.example/section/feed.json"}},
		{"rel with several tokens, type with parameters, upper case", `<head><LINK REL="Alternate Home" TYPE="Application/RSS+XML; charset=utf-8" HREF="/a"></head>`,
			[]string{"https://news.example/a"}},
		{"base href", `<head><base href="https://cdn.example/feeds/"><link rel="alternate" type="application/rss+xml" href="main.xml"></head>`,
			[]string{"https://cdn.example/feeds/main.xml"}},
		{"duplicates once", `<head><link rel="alternate" type="application/rss+xml" href="/a"><link rel="alternate" type="application/rss+xml" href="https://news.example/a"></head>`,
			[]string{"https://news.example/a"}},
		{"not alternate, not a feed type, not http", `<head>
			<link rel="canonical" type="application/rss+xml" href="/x">
			<link rel="alternate" type="text/html" href="/en/">
			<link rel="alternate" type="application/rss+xml" href="javascript:alert(1)">
			<link rel="alternate" type="application/rss+xml" href="">
			</head>`, nil},
		{"links in the body are not followed", `<html><head><title>t</title></head><body>
			<link rel="alternate" type="application/rss+xml" href="/evil"></body></html>`, nil},
		{"no markup at all", `just text`, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, l := range DiscoverFeeds([]byte(tt.page), "https://news.example/section/") {
				got = append(got, l.URL)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
	links := DiscoverFeeds([]byte(`<link rel="alternate" type="application/rss+xml" title=" Alle  Meldungen " href="/r">`), "https://n.example/")
	if len(links) != 1 || links[0].Title != "Alle Meldungen" || links[0].Type != "application/rss+xml" {
		t.Errorf("links = %+v", links)
	}
}

func FuzzDiscoverFeeds(f *testing.F) {
	f.Add([]byte(`<head><base href="//x"><link rel="alternate" type="application/rss+xml" href="/a"></head>`))
	f.Add([]byte(`<link rel=alternate type=application/atom+xml href=%zz>`))
	f.Fuzz(func(t *testing.T, page []byte) {
		links := DiscoverFeeds(page, "https://news.example/")
		if len(links) > maxDiscoveryLinks {
			t.Fatalf("%d links", len(links))
		}
		for _, l := range links {
			if !isHTTPURL(l.URL) || !feedTypes[l.Type] {
				t.Fatalf("bad link %+v", l)
			}
		}
	})
}

// TestIngestDiscoversFeed configures a blog's front page instead of its
// feed: ingest follows the page's feed link, remembers the feed in the
// feed state and polls the feed, not the page, from then on. When the
// feed goes away, it asks the page again.
func TestIngestDiscoversFeed(t *testing.T) {
	site := newSite(t)
	page := `<!DOCTYPE html><html><head><title>Testpost</title>
<link rel="alternate" type="application/rss+xml" title="Testpost" href="/feeds/de.xml">
</head><body><p>Willkommen</p></body></html>`
	site.handle("/blog/", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = w.Write([]byte(page))
	})
	site.handle("/plain/", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		_, _ = w.Write([]byte(`<html><head><title>no feed here</title></head></html>`))
	})
	b := newTestBus(t)
	feeds := []FeedConfig{
		{ID: "testpost", Name: "Testpost", URL: site.URL("/blog/"), Language: "de"},
		{ID: "plain", Name: "Plain", URL: site.URL("/plain/")},
	}
	st := newStage(t, b, testConfig(feeds...))
	stats, err := st.PollOnce(t.Context())
	if err == nil || !strings.Contains(err.Error(), "advertises no feed") {
		t.Errorf("error = %v, want the page without a feed named", err)
	}
	if stats.FeedsOK != 1 || stats.ItemsPublished == 0 {
		t.Fatalf("stats = %+v, want the discovered feed polled and published", stats)
	}
	state, _, err := st.loadState(t.Context(), feeds[0])
	if err != nil {
		t.Fatal(err)
	}
	if state.URL != site.URL("/feeds/de.xml") || state.DiscoveredFrom != site.URL("/blog/") || state.ETag == "" {
		t.Errorf("state = %+v, want the feed URL, the page and the feed's validators", state)
	}
	pageHits := site.hits("/blog/")
	if _, err := st.PollOnce(t.Context()); err != nil && !strings.Contains(err.Error(), "plain") {
		t.Fatal(err)
	}
	if site.hits("/blog/") != pageHits {
		t.Error("the page was fetched again although its feed is known")
	}

	// The feed disappears: the next poll goes back to the page.
	site.handle("/feeds/de.xml", func(w http.ResponseWriter, r *http.Request) { http.NotFound(w, r) })
	_, _ = st.PollOnce(t.Context())
	state, _, _ = st.loadState(t.Context(), feeds[0])
	if state.URL != site.URL("/blog/") || state.DiscoveredFrom != "" || state.Gone {
		t.Errorf("after a 404 of the discovered feed: state = %+v, want the page again", state)
	}
}
