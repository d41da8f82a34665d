package main

import (
	"fmt"
	"html"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/newsdesk/newsdesk/internal/sample"
)

// genArticle is one generated article: a page on the feed server that its
// feed lists from release on.
type genArticle struct {
	feed    int
	path    string
	title   string
	lang    string
	paras   []string
	release time.Time
}

// feedSite is the local feed server: feeds feeds with items articles each,
// all on the topic (the bundled sample site's on-topic texts under new
// titles), released one after another over the ingest phase so that
// ingest has work all through the faults.
type feedSite struct {
	feeds    int
	langs    []string // per feed
	articles [][]genArticle
	srv      *http.Server
	base     string
}

func newFeedSite(feeds, items int, start time.Time, phase time.Duration) *feedSite {
	bases := map[string][]sample.Article{}
	for _, a := range sample.Articles() {
		if a.OnTopic {
			bases[a.Language] = append(bases[a.Language], a)
		}
	}
	s := &feedSite{feeds: feeds}
	k := 0
	for f := range feeds {
		lang := []string{"de", "en"}[f%2]
		s.langs = append(s.langs, lang)
		var arts []genArticle
		for i := range items {
			b := bases[lang][k%len(bases[lang])]
			k++
			// Spread releases over the phase: item i of every feed in the
			// i-th slice of it, feeds staggered inside the slice.
			slice := phase / time.Duration(items)
			at := start.Add(time.Duration(i)*slice + slice*time.Duration(f)/time.Duration(feeds))
			arts = append(arts, genArticle{
				feed:    f,
				path:    fmt.Sprintf("/a/f%03d/%d.html", f, i),
				title:   fmt.Sprintf("%s (%d-%d)", b.Title, f, i),
				lang:    lang,
				paras:   strings.Split(b.Text, "\n\n"),
				release: at,
			})
		}
		s.articles = append(s.articles, arts)
	}
	return s
}

func feedID(f int) string { return fmt.Sprintf("f%03d", f) }

func (s *feedSite) start() error {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	s.base = "http://" + ln.Addr().String()
	mux := http.NewServeMux()
	mux.HandleFunc("GET /feeds/{id}", s.serveFeed)
	mux.HandleFunc("GET /a/{feed}/{page}", s.servePage)
	s.srv = &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = s.srv.Serve(ln) }()
	return nil
}

// expected is every article's URL.
func (s *feedSite) expected() map[string]bool {
	m := map[string]bool{}
	for _, arts := range s.articles {
		for _, a := range arts {
			m[s.base+a.path] = true
		}
	}
	return m
}

func (s *feedSite) feedURL(f int) string { return s.base + "/feeds/" + feedID(f) + ".xml" }

func (s *feedSite) find(path string) (genArticle, bool) {
	var f, i int
	if _, err := fmt.Sscanf(path, "/a/f%03d/%d.html", &f, &i); err != nil || f < 0 || f >= s.feeds || i < 0 || i >= len(s.articles[f]) {
		return genArticle{}, false
	}
	a := s.articles[f][i]
	return a, a.path == path && !time.Now().Before(a.release)
}

func (s *feedSite) serveFeed(w http.ResponseWriter, r *http.Request) {
	var f int
	if _, err := fmt.Sscanf(r.PathValue("id"), "f%03d.xml", &f); err != nil || f < 0 || f >= s.feeds {
		http.NotFound(w, r)
		return
	}
	var b strings.Builder
	fmt.Fprintf(&b, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<rss version=\"2.0\"><channel><title>Feed %s</title><link>%s/</link><description>fault test feed</description><language>%s</language>\n",
		feedID(f), s.base, s.langs[f])
	now := time.Now()
	for i := len(s.articles[f]) - 1; i >= 0; i-- {
		a := s.articles[f][i]
		if now.Before(a.release) {
			continue
		}
		u := s.base + a.path
		fmt.Fprintf(&b, "<item><title>%s</title><link>%s</link><guid isPermaLink=\"true\">%s</guid><pubDate>%s</pubDate><description>%s</description></item>\n",
			html.EscapeString(a.title), u, u, a.release.UTC().Format(time.RFC1123Z), html.EscapeString(a.paras[0]))
	}
	b.WriteString("</channel></rss>\n")
	w.Header().Set("Content-Type", "application/rss+xml; charset=utf-8")
	_, _ = w.Write([]byte(b.String()))
}

func (s *feedSite) servePage(w http.ResponseWriter, r *http.Request) {
	a, ok := s.find(r.URL.Path)
	if !ok {
		http.NotFound(w, r)
		return
	}
	var b strings.Builder
	fmt.Fprintf(&b, "<!doctype html>\n<html lang=\"%s\"><head><meta charset=\"utf-8\"><title>%s</title></head><body>\n<nav><a href=\"/\">Start</a> <a href=\"/tech\">Tech</a></nav>\n<article><h1>%s</h1>\n<p class=\"byline\">%s</p>\n",
		a.lang, html.EscapeString(a.title), html.EscapeString(a.title), a.release.UTC().Format(time.RFC3339))
	for _, p := range a.paras {
		fmt.Fprintf(&b, "<p>%s</p>\n", html.EscapeString(p))
	}
	b.WriteString("</article>\n<footer>Fault test site</footer></body></html>\n")
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	_, _ = w.Write([]byte(b.String()))
}
