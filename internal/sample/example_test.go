package sample_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"

	"github.com/newsdesk/newsdesk/internal/sample"
)

// The demo serves the site on a loopback listener and points ingest at
// base URL + Feed.Path.
func ExampleHandler() {
	srv := httptest.NewServer(sample.Handler())
	defer srv.Close()
	for _, f := range sample.Feeds() {
		resp, err := http.Get(srv.URL + f.Path)
		if err != nil {
			fmt.Println(err)
			return
		}
		resp.Body.Close()
		fmt.Println(f.ID, f.Language, f.Format, resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	// Output:
	// techblatt de atom 200 application/atom+xml; charset=utf-8
	// spreewacht de rss 200 application/rss+xml; charset=iso-8859-1
	// kernelpost en json 200 application/feed+json; charset=utf-8
	// meridian en rss 200 application/rss+xml; charset=utf-8
	// pacificsignal en atom 200 application/atom+xml; charset=utf-8
}

// Articles carries what a perfect ingest would recover, for tests of
// extraction, topic scoring and story clustering.
func ExampleArticles() {
	stories := map[string][]string{}
	for _, a := range sample.Articles() {
		stories[a.Story] = append(stories[a.Story], a.Outlet+"/"+a.Language)
	}
	fmt.Println(stories["bis-rule-nov2026"])
	// Output:
	// [kernelpost/en meridian/en techblatt/de]
}
