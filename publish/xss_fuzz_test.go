package publish

import (
	"bufio"
	"bytes"
	"encoding/json"
	"encoding/xml"
	"log/slog"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/jonboulle/clockwork"
	"github.com/prometheus/client_golang/prometheus"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/newsdesk/newsdesk/internal/lang"
	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/publish/render"
)

// xssCorpus reads testdata/xss.txt: one hostile string per line.
func xssCorpus(t testing.TB) []string {
	f, err := os.Open("testdata/xss.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	unescape := strings.NewReplacer(`\n`, "\n", `\r`, "\r", `\t`, "\t", `\x00`, "\x00", `\u2028`, "\u2028", `\u202e`, "\u202e")
	var out []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "# ") {
			continue
		}
		out = append(out, unescape.Replace(line))
	}
	return out
}

// hostileDigest puts s into every text field of a digest and into one
// source URL.
func hostileDigest(s string) news.Digest {
	return news.Digest{
		Schema: news.DigestSchema, ID: "digest:daily:2026-11-29:de:p1", Edition: "daily", Date: "2026-11-29", Language: "de",
		Title: s, Overview: s + "\n\n" + s, Notes: []string{s}, Generator: "llm:" + s,
		CreatedAt: time.Date(2026, 11, 29, 6, 0, 0, 0, time.UTC),
		Stories: []news.Story{{ID: "s1", Headline: s, Summary: s + " [1] " + s + " [2]", Sources: []news.Source{
			{Outlet: s, Title: s, URL: s},
			{Outlet: "heise online", Title: s, URL: "https://www.heise.de/news/?q=" + url.QueryEscape(s)},
		}}},
	}
}

// FuzzOutputsXSS renders a digest whose every field is hostile into all
// four outputs (RSS, Atom, JSON Feed, the archive's HTML pages) and the
// mail's HTML part, and reads each the way its consumers do: a feed
// reader parses the XML or JSON and then renders the fields it takes for
// HTML (RSS description and content:encoded, Atom html content, JSON
// content_html); a browser renders the pages and the mail. No element or
// attribute the templates do not write may appear, no link may leave
// http(s), and where a field holds plain text the reader must see exactly
// that text.
func FuzzOutputsXSS(f *testing.F) {
	for _, s := range xssCorpus(f) {
		f.Add(s)
	}
	out := f.TempDir()
	f.Fuzz(func(t *testing.T, s string) {
		cfg := Config{OutDir: out, BaseURL: "https://news.example.org", Email: EmailConfig{From: "n@news.example.org"}}
		cfg.Defaults()
		met, err := newMetrics(prometheus.NewRegistry())
		if err != nil {
			t.Fatal(err)
		}
		base, _ := url.Parse(cfg.BaseURL)
		sh := &shared{cfg: &cfg, langs: lang.Default(), log: slog.New(slog.DiscardHandler), clock: clockwork.NewFakeClockAt(time.Date(2026, 11, 29, 7, 30, 0, 0, time.UTC)), met: met, base: base}
		fs := newFiles(sh)
		d := hostileDigest(s)
		if err := fs.Deliver(t.Context(), d); err != nil {
			t.Fatal(err)
		}
		v := render.Build(d, cfg.Limits, sh.lang("de"))
		get := func(rel string) string {
			a := fs.site.get(rel)
			if a == nil {
				t.Fatalf("no %s", rel)
			}
			return string(a.body)
		}
		checkRSS(t, get("feeds/de.xml"), summaryText(v))
		checkAtom(t, get("feeds/de.atom"))
		checkJSONFeed(t, get("feeds/de.json"))
		page := get("archive/de/" + slug(d) + ".html")
		checkHTML(t, "digest page", page, pageTags)
		if got := textOf(t, page, atom.Title); got != v.Title {
			t.Errorf("digest page <title> shows %q, want the title %q", got, v.Title)
		}
		if got := textOf(t, page, atom.H1); got != v.Title {
			t.Errorf("digest page <h1> shows %q, want the title %q", got, v.Title)
		}
		checkHTML(t, "archive index", get("archive/de/index.html"), pageTags)
		mailHTML, err := render.EmailHTML(v, render.MailLinks{ArchiveURL: "https://news.example.org/a", UnsubscribeURL: "https://news.example.org/unsubscribe?t=x.y"})
		if err != nil {
			t.Fatal(err)
		}
		checkHTML(t, "mail", mailHTML, mailTags)
		if strings.ContainsAny(v.Title, "\r\n") {
			t.Errorf("the title (the mail's subject) keeps a line break: %q", v.Title)
		}
	})
}

// The elements each output's templates write; anything else came from
// the digest.
var (
	fragmentTags = tagSet(atom.P, atom.H2, atom.Small, atom.Sup, atom.A, atom.Ol, atom.Li)
	pageTags     = tagSet(atom.Html, atom.Head, atom.Meta, atom.Title, atom.Link, atom.Style, atom.Body, atom.Main, atom.Header,
		atom.Footer, atom.Article, atom.H1, atom.P, atom.H2, atom.Small, atom.Sup, atom.A, atom.Ol, atom.Ul, atom.Li)
	mailTags = tagSet(atom.Html, atom.Head, atom.Meta, atom.Title, atom.Body, atom.Div, atom.H1, atom.H2, atom.P, atom.Span,
		atom.Sup, atom.A, atom.Ol, atom.Li, atom.Hr)
	// safeAttrs are the attributes the templates write.
	safeAttrs = map[string]bool{"href": true, "lang": true, "class": true, "style": true, "charset": true, "name": true,
		"content": true, "rel": true, "type": true, "title": true}
)

func tagSet(as ...atom.Atom) map[atom.Atom]bool {
	m := map[atom.Atom]bool{}
	for _, a := range as {
		m[a] = true
	}
	return m
}

// checkHTML parses doc as a browser would and fails on an element outside
// allowed, an attribute the templates do not write (on…, src, srcdoc,
// formaction…), or a link that is not http(s).
func checkHTML(t *testing.T, where, doc string, allowed map[atom.Atom]bool) {
	t.Helper()
	root, err := html.Parse(strings.NewReader(doc))
	if err != nil {
		t.Fatalf("%s: %v", where, err)
	}
	checkNodes(t, where, root, allowed)
}

// checkFragment is checkHTML for an HTML fragment (feed content).
func checkFragment(t *testing.T, where, frag string, allowed map[atom.Atom]bool) {
	t.Helper()
	ctx := &html.Node{Type: html.ElementNode, Data: "div", DataAtom: atom.Div}
	nodes, err := html.ParseFragment(strings.NewReader(frag), ctx)
	if err != nil {
		t.Fatalf("%s: %v", where, err)
	}
	for _, n := range nodes {
		checkNodes(t, where, n, allowed)
	}
}

func checkNodes(t *testing.T, where string, n *html.Node, allowed map[atom.Atom]bool) {
	t.Helper()
	if n.Type == html.ElementNode {
		if !allowed[n.DataAtom] {
			t.Fatalf("%s: live <%s> element from the digest", where, n.Data)
		}
		for _, a := range n.Attr {
			if !safeAttrs[a.Key] {
				t.Fatalf("%s: <%s> has attribute %s=%q", where, n.Data, a.Key, a.Val)
			}
			if a.Key == "href" && !safeHref(a.Val) {
				t.Fatalf("%s: <%s href=%q> leaves http(s)", where, n.Data, a.Val)
			}
		}
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		checkNodes(t, where, c, allowed)
	}
}

// safeHref accepts absolute http(s) URLs and the templates' relative
// links; a browser strips tabs and newlines and ignores case in schemes,
// so the check does too.
func safeHref(v string) bool {
	v = strings.ToLower(strings.Map(func(r rune) rune {
		if r <= ' ' {
			return -1
		}
		return r
	}, v))
	if strings.HasPrefix(v, "https://") || strings.HasPrefix(v, "http://") {
		return true
	}
	i := strings.IndexAny(v, ":/?#")
	return i < 0 || v[i] != ':'
}

// onlyText fails unless frag, read as HTML, is text and nothing else, and
// returns that text.
func onlyText(t *testing.T, where, frag string) string {
	t.Helper()
	ctx := &html.Node{Type: html.ElementNode, Data: "div", DataAtom: atom.Div}
	nodes, err := html.ParseFragment(strings.NewReader(frag), ctx)
	if err != nil {
		t.Fatalf("%s: %v", where, err)
	}
	var b strings.Builder
	for _, n := range nodes {
		if n.Type != html.TextNode {
			t.Fatalf("%s: %q holds markup (%v %q) when read as HTML", where, frag, n.Type, n.Data)
		}
		b.WriteString(n.Data)
	}
	return b.String()
}

// textOf is the text of the first el element of doc.
func textOf(t *testing.T, doc string, el atom.Atom) string {
	t.Helper()
	root, err := html.Parse(strings.NewReader(doc))
	if err != nil {
		t.Fatal(err)
	}
	var find func(*html.Node) *html.Node
	find = func(n *html.Node) *html.Node {
		if n.Type == html.ElementNode && n.DataAtom == el {
			return n
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if m := find(c); m != nil {
				return m
			}
		}
		return nil
	}
	n := find(root)
	if n == nil {
		t.Fatalf("no <%s>", el)
	}
	var b strings.Builder
	var text func(*html.Node)
	text = func(n *html.Node) {
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			text(c)
		}
	}
	text(n)
	return b.String()
}

func checkRSS(t *testing.T, doc, summary string) {
	t.Helper()
	var r struct {
		Items []struct {
			Title       string `xml:"title"`
			Description string `xml:"description"`
			Content     string `xml:"http://purl.org/rss/1.0/modules/content/ encoded"`
		} `xml:"channel>item"`
	}
	if err := xml.Unmarshal([]byte(doc), &r); err != nil {
		t.Fatalf("RSS is not well-formed: %v", err)
	}
	if len(r.Items) != 1 {
		t.Fatalf("RSS has %d items", len(r.Items))
	}
	it := r.Items[0]
	// Readers disagree whether a title is text or HTML: safe either way.
	if strings.ContainsAny(it.Title, "<>") {
		t.Errorf("RSS title %q holds an angle bracket", it.Title)
	}
	onlyText(t, "RSS title", it.Title)
	// The description is HTML to readers: they must see the summary's text.
	if got := onlyText(t, "RSS description", it.Description); got != summary {
		t.Errorf("RSS description reads %q as HTML, want the summary %q", got, summary)
	}
	checkFragment(t, "RSS content:encoded", it.Content, fragmentTags)
}

func checkAtom(t *testing.T, doc string) {
	t.Helper()
	type text struct {
		Type  string `xml:"type,attr"`
		Value string `xml:",chardata"`
	}
	var a struct {
		Entries []struct {
			Title   text `xml:"title"`
			Summary text `xml:"summary"`
			Content text `xml:"content"`
		} `xml:"entry"`
	}
	if err := xml.Unmarshal([]byte(doc), &a); err != nil {
		t.Fatalf("Atom is not well-formed: %v", err)
	}
	if len(a.Entries) != 1 {
		t.Fatalf("Atom has %d entries", len(a.Entries))
	}
	e := a.Entries[0]
	if e.Title.Type != "" && e.Title.Type != "text" || e.Summary.Value != "" && e.Summary.Type != "text" || e.Content.Type != "html" {
		t.Errorf("Atom types: title %q, summary %q, content %q", e.Title.Type, e.Summary.Type, e.Content.Type)
	}
	checkFragment(t, "Atom content", e.Content.Value, fragmentTags)
}

func checkJSONFeed(t *testing.T, doc string) {
	t.Helper()
	var j struct {
		Items []struct {
			ContentHTML string `json:"content_html"`
		} `json:"items"`
	}
	if err := json.NewDecoder(bytes.NewReader([]byte(doc))).Decode(&j); err != nil {
		t.Fatalf("JSON Feed does not decode: %v", err)
	}
	if len(j.Items) != 1 {
		t.Fatalf("JSON Feed has %d items", len(j.Items))
	}
	checkFragment(t, "JSON Feed content_html", j.Items[0].ContentHTML, fragmentTags)
}
