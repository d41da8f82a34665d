package ingest

import (
	"net/http"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/newsdesk/newsdesk/internal/news"
)

func TestStripTracking(t *testing.T) {
	tests := map[string]string{
		"https://a.example/x?utm_source=rss&utm_medium=feed":        "https://a.example/x",
		"https://a.example/x?id=7&utm_campaign=c&page=2":            "https://a.example/x?id=7&page=2",
		"https://a.example/x?FBCLID=abc":                            "https://a.example/x",
		"https://a.example/x?gclid=1&mc_cid=2&mc_eid=3&wt_mc=rss.x": "https://a.example/x",
		"https://a.example/x?utm%5Fsource=encoded":                  "https://a.example/x",
		"https://a.example/x?q=a%26b&utm_term=t#section":            "https://a.example/x?q=a%26b#section",
		"https://a.example/x?ref=home":                              "https://a.example/x?ref=home",
		"https://a.example/x":                                       "https://a.example/x",
		"https://a.example/x?":                                      "https://a.example/x?",
		"https://a.example/x?&&utm_id=1":                            "https://a.example/x",
		"::not a url":                                               "::not a url",
	}
	for in, want := range tests {
		if got := StripTracking(in); got != want {
			t.Errorf("StripTracking(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestCanonicalFor(t *testing.T) {
	page, _ := url.Parse("https://www.spiegel.de/wirtschaft/chips-a-1.html")
	tests := []struct {
		claimed string
		allowed []string
		want    string
	}{
		{"https://www.spiegel.de/wirtschaft/chips-a-1.html?utm_source=x", nil, "https://www.spiegel.de/wirtschaft/chips-a-1.html"},
		{"https://m.spiegel.de/chips", nil, "https://m.spiegel.de/chips"}, // same registrable domain
		{"https://www.zeit.de/chips", nil, ""},                            // another outlet
		{"https://www.zeit.de/chips", []string{"zeit.de"}, "https://www.zeit.de/chips"},
		{"https://spiegel.de.evil.example/x", nil, ""},
		{"https://evil-spiegel.de/x", nil, ""},
		{"javascript:alert(1)", nil, ""},
		{"/relative/only", nil, ""},
		{"", nil, ""},
	}
	for _, tt := range tests {
		if got := canonicalFor(tt.claimed, page, tt.allowed); got != tt.want {
			t.Errorf("canonicalFor(%q, %v) = %q, want %q", tt.claimed, tt.allowed, got, tt.want)
		}
	}
	uk, _ := url.Parse("https://www.bbc.co.uk/news/1")
	if got := canonicalFor("https://bbc.co.uk/news/1", uk, nil); got == "" {
		t.Error("bbc.co.uk page refused its own domain")
	}
	if got := canonicalFor("https://other.co.uk/news/1", uk, nil); got != "" {
		t.Error("co.uk treated as one registrable domain")
	}
}

// TestHostileCanonicalIgnored fetches a page that claims another outlet's
// article as its canonical URL: the claim is ignored, so the article keeps
// its own identity (and the other outlet's story is not later dropped as
// its duplicate), unless the feed's config allows that domain.
func TestHostileCanonicalIgnored(t *testing.T) {
	site := newSite(t)
	page, err := os.ReadFile("testdata/site/articles/deepseek.html")
	if err != nil {
		t.Fatal(err)
	}
	hostile := strings.Replace(string(page), `{{BASE}}/articles/deepseek.html`, "https://victim.example/ki/deepseek?utm_source=x", 1)
	site.handle("/articles/hostile.html", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = w.Write([]byte(hostile))
	})
	feed := FeedConfig{ID: "copycat", Name: "Copycat", URL: site.URL("/feeds/de.xml"), Language: "de"}
	st := newStage(t, newTestBus(t), testConfig(feed))
	item := FeedItem{ID: "x", Link: site.URL("/articles/hostile.html?utm_medium=rss"), Title: "Chinesisches Labor legt nach"}
	art, err := st.Process(t.Context(), feed, item, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	own := site.URL("/articles/hostile.html")
	if art.CanonicalURL != "" || art.ID != news.ArticleID(own) || art.URL != own {
		t.Errorf("canonical %q id %q url %q: want no canonical, the page's own id and URL", art.CanonicalURL, art.ID, art.URL)
	}
	feed.CanonicalDomains = []string{"victim.example"}
	art, err = st.Process(t.Context(), feed, item, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if art.CanonicalURL != "https://victim.example/ki/deepseek" || art.ID != news.ArticleID(art.CanonicalURL) {
		t.Errorf("allowed domain: canonical %q id %q", art.CanonicalURL, art.ID)
	}
}

func FuzzStripTracking(f *testing.F) {
	f.Add("https://a.example/x?utm_source=a&b=1")
	f.Add("https://a.example/x?%zz&utm_x")
	f.Fuzz(func(t *testing.T, raw string) {
		out := StripTracking(raw)
		if StripTracking(out) != out {
			t.Fatalf("not idempotent: %q → %q → %q", raw, out, StripTracking(out))
		}
		if u, err := url.Parse(out); err == nil && out != raw {
			for k := range u.Query() {
				if isTracking(k) {
					t.Fatalf("%q kept tracking parameter %q", out, k)
				}
			}
		}
	})
}
