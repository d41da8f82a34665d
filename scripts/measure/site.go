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

// page is one generated article on the feed site.
type page struct {
	path, title, lang string
	paras             []string
	release           time.Time
}

// site serves feeds of on-topic articles (the bundled sample site's texts).
// Every article gets a sentence of its own in its lead, so that no two
// share a brief in the briefs cache: each costs one LLM call, as distinct
// news does.
type site struct {
	langs []string
	feeds [][]page
	base  string
	srv   *http.Server
}

// newSite makes feeds×items articles released between from and
// from+spread (all at once when spread is 0).
func newSite(feeds, items int, from time.Time, spread time.Duration) *site {
	bases := map[string][]sample.Article{}
	for _, a := range sample.Articles() {
		if a.OnTopic {
			bases[a.Language] = append(bases[a.Language], a)
		}
	}
	s := &site{}
	k := 0
	for f := range feeds {
		lang := []string{"de", "en"}[f%2]
		s.langs = append(s.langs, lang)
		var ps []page
		for i := range items {
			b := bases[lang][k%len(bases[lang])]
			k++
			paras := strings.Split(b.Text, "\n\n")
			own := fmt.Sprintf("This is report %d of desk %d.", i, f)
			if lang == "de" {
				own = fmt.Sprintf("Dies ist Meldung %d von Redaktion %d.", i, f)
			}
			paras[0] = own + " " + paras[0]
			at := from
			if spread > 0 {
				at = from.Add(spread * time.Duration(i*feeds+f) / time.Duration(feeds*items))
			}
			ps = append(ps, page{
				path: fmt.Sprintf("/a/f%03d/%d.html", f, i), title: fmt.Sprintf("%s (%d-%d)", b.Title, f, i),
				lang: lang, paras: paras, release: at,
			})
		}
		s.feeds = append(s.feeds, ps)
	}
	return s
}

func (s *site) count() int {
	n := 0
	for _, ps := range s.feeds {
		n += len(ps)
	}
	return n
}

func (s *site) start() error {
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

func (s *site) feedURL(f int) string { return fmt.Sprintf("%s/feeds/f%03d.xml", s.base, f) }

func (s *site) serveFeed(w http.ResponseWriter, r *http.Request) {
	var f int
	if _, err := fmt.Sscanf(r.PathValue("id"), "f%03d.xml", &f); err != nil || f < 0 || f >= len(s.feeds) {
		http.NotFound(w, r)
		return
	}
	var b strings.Builder
	fmt.Fprintf(&b, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<rss version=\"2.0\"><channel><title>Desk %d</title><link>%s/</link><description>measurement feed</description><language>%s</language>\n", f, s.base, s.langs[f])
	now := time.Now()
	for i := len(s.feeds[f]) - 1; i >= 0; i-- {
		p := s.feeds[f][i]
		if now.Before(p.release) {
			continue
		}
		u := s.base + p.path
		fmt.Fprintf(&b, "<item><title>%s</title><link>%s</link><guid isPermaLink=\"true\">%s</guid><pubDate>%s</pubDate><description>%s</description></item>\n",
			html.EscapeString(p.title), u, u, p.release.UTC().Format(time.RFC1123Z), html.EscapeString(p.paras[0]))
	}
	b.WriteString("</channel></rss>\n")
	w.Header().Set("Content-Type", "application/rss+xml; charset=utf-8")
	_, _ = w.Write([]byte(b.String()))
}

func (s *site) servePage(w http.ResponseWriter, r *http.Request) {
	var f, i int
	if _, err := fmt.Sscanf(r.URL.Path, "/a/f%03d/%d.html", &f, &i); err != nil || f < 0 || f >= len(s.feeds) || i < 0 || i >= len(s.feeds[f]) {
		http.NotFound(w, r)
		return
	}
	p := s.feeds[f][i]
	if p.path != r.URL.Path || time.Now().Before(p.release) {
		http.NotFound(w, r)
		return
	}
	var b strings.Builder
	fmt.Fprintf(&b, "<!doctype html>\n<html lang=\"%s\"><head><meta charset=\"utf-8\"><title>%s</title></head><body>\n<article><h1>%s</h1>\n<p class=\"byline\">%s</p>\n",
		p.lang, html.EscapeString(p.title), html.EscapeString(p.title), p.release.UTC().Format(time.RFC3339))
	for _, t := range p.paras {
		fmt.Fprintf(&b, "<p>%s</p>\n", html.EscapeString(t))
	}
	b.WriteString("</article></body></html>\n")
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	_, _ = w.Write([]byte(b.String()))
}
