package testbed

import (
	"fmt"
	"html"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/newsdesk/newsdesk/internal/sample"
)

// Page is one generated article on the feed site, listed in its feed and
// served from Release on.
type Page struct {
	Path, Title, Lang string
	Paras             []string
	Release           time.Time
}

// Site is a local feed server: feed f is an RSS feed of Feeds[f] in
// language Langs[f], newest first, each item linking to its page. The
// script sets the wording fields, fills Feeds and Langs (with Generate, on
// its own release schedule), then calls Start.
type Site struct {
	Langs []string
	Feeds [][]Page

	// FeedTitle is feed f's channel title; Description is every
	// channel's description.
	FeedTitle   func(f int) string
	Description string
	// Nav is HTML put at the start of every page's body, Footer after
	// its article; either may be empty.
	Nav, Footer string

	// Base is the server's URL, set by Start; Srv is closed by the caller.
	Base string
	Srv  *http.Server
}

// Generate fills Feeds and Langs with feeds×items articles: feed f is in
// German when f is even, else English; its articles reuse the on-topic
// sample texts of that language in turn, titled "<sample title> (f-i)".
// release says when article i of feed f comes out; lead, when not nil,
// gives a sentence put in front of its first paragraph.
func (s *Site) Generate(feeds, items int, release func(f, i int) time.Time, lead func(f, i int, lang string) string) {
	bases := OnTopicTexts()
	k := 0
	for f := range feeds {
		lang := []string{"de", "en"}[f%2]
		s.Langs = append(s.Langs, lang)
		var ps []Page
		for i := range items {
			b := bases[lang][k%len(bases[lang])]
			k++
			paras := strings.Split(b.Text, "\n\n")
			if lead != nil {
				paras[0] = lead(f, i, lang) + " " + paras[0]
			}
			ps = append(ps, Page{
				Path:    PagePath(f, i),
				Title:   fmt.Sprintf("%s (%d-%d)", b.Title, f, i),
				Lang:    lang,
				Paras:   paras,
				Release: release(f, i),
			})
		}
		s.Feeds = append(s.Feeds, ps)
	}
}

// OnTopicTexts is the bundled sample site's on-topic articles by language,
// the texts the generated pages reuse under new titles.
func OnTopicTexts() map[string][]sample.Article {
	m := map[string][]sample.Article{}
	for _, a := range sample.Articles() {
		if a.OnTopic {
			m[a.Language] = append(m[a.Language], a)
		}
	}
	return m
}

// FeedID is feed f's id, as in its URL and the config.
func FeedID(f int) string { return fmt.Sprintf("f%03d", f) }

// PagePath is the path of article i of feed f.
func PagePath(f, i int) string { return fmt.Sprintf("/a/f%03d/%d.html", f, i) }

// Start serves the site on a free loopback port.
func (s *Site) Start() error {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	s.Base = "http://" + ln.Addr().String()
	mux := http.NewServeMux()
	mux.HandleFunc("GET /feeds/{id}", s.serveFeed)
	mux.HandleFunc("GET /a/{feed}/{page}", s.servePage)
	s.Srv = &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = s.Srv.Serve(ln) }()
	return nil
}

// FeedURL is feed f's URL.
func (s *Site) FeedURL(f int) string { return s.Base + "/feeds/" + FeedID(f) + ".xml" }

// Count is the number of articles on the site.
func (s *Site) Count() int {
	n := 0
	for _, ps := range s.Feeds {
		n += len(ps)
	}
	return n
}

func (s *Site) serveFeed(w http.ResponseWriter, r *http.Request) {
	var f int
	if _, err := fmt.Sscanf(r.PathValue("id"), "f%03d.xml", &f); err != nil || f < 0 || f >= len(s.Feeds) {
		http.NotFound(w, r)
		return
	}
	var b strings.Builder
	fmt.Fprintf(&b, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<rss version=\"2.0\"><channel><title>%s</title><link>%s/</link><description>%s</description><language>%s</language>\n",
		html.EscapeString(s.FeedTitle(f)), s.Base, html.EscapeString(s.Description), s.Langs[f])
	now := time.Now()
	for i := len(s.Feeds[f]) - 1; i >= 0; i-- {
		p := s.Feeds[f][i]
		if now.Before(p.Release) {
			continue
		}
		u := s.Base + p.Path
		fmt.Fprintf(&b, "<item><title>%s</title><link>%s</link><guid isPermaLink=\"true\">%s</guid><pubDate>%s</pubDate><description>%s</description></item>\n",
			html.EscapeString(p.Title), u, u, p.Release.UTC().Format(time.RFC1123Z), html.EscapeString(p.Paras[0]))
	}
	b.WriteString("</channel></rss>\n")
	w.Header().Set("Content-Type", "application/rss+xml; charset=utf-8")
	_, _ = w.Write([]byte(b.String()))
}

func (s *Site) servePage(w http.ResponseWriter, r *http.Request) {
	var f, i int
	if _, err := fmt.Sscanf(r.URL.Path, "/a/f%03d/%d.html", &f, &i); err != nil || f < 0 || f >= len(s.Feeds) || i < 0 || i >= len(s.Feeds[f]) {
		http.NotFound(w, r)
		return
	}
	p := s.Feeds[f][i]
	if p.Path != r.URL.Path || time.Now().Before(p.Release) {
		http.NotFound(w, r)
		return
	}
	var b strings.Builder
	fmt.Fprintf(&b, "<!doctype html>\n<html lang=\"%s\"><head><meta charset=\"utf-8\"><title>%s</title></head><body>\n%s<article><h1>%s</h1>\n<p class=\"byline\">%s</p>\n",
		p.Lang, html.EscapeString(p.Title), s.Nav, html.EscapeString(p.Title), p.Release.UTC().Format(time.RFC3339))
	for _, t := range p.Paras {
		fmt.Fprintf(&b, "<p>%s</p>\n", html.EscapeString(t))
	}
	b.WriteString("</article>" + s.Footer + "</body></html>\n")
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	_, _ = w.Write([]byte(b.String()))
}
