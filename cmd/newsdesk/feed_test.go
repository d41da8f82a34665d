package main

import (
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
)

// TestFeedParseDiscovers gives `feed parse` a web page's URL: it follows
// the feed the page advertises, and says so on stderr.
func TestFeedParseDiscovers(t *testing.T) {
	feed, err := os.ReadFile("testdata/feed.xml")
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		_, _ = w.Write([]byte(`<!doctype html><html><head><link rel="alternate" type="application/rss+xml" href="/feed.xml"></head><body>hi</body></html>`))
	})
	mux.HandleFunc("/nofeed", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		_, _ = w.Write([]byte(`<!doctype html><html><head><title>x</title></head></html>`))
	})
	mux.HandleFunc("/feed.xml", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		_, _ = w.Write(feed)
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()

	code, out, errOut := runCLI(t, "feed", "parse", srv.URL+"/")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if n := strings.Count(out, "\n"); n != 2 || !strings.Contains(errOut, srv.URL+"/feed.xml") {
		t.Errorf("%d items; stderr %q", n, errOut)
	}
	code, _, errOut = runCLI(t, "feed", "parse", srv.URL+"/nofeed")
	if code != 1 || !strings.Contains(errOut, "advertises no feed") {
		t.Errorf("page without a feed: exit %d, stderr %q", code, errOut)
	}
}
