package extract

import (
	"errors"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/net/html"
)

// checkSafeHTML fails if s, parsed as a browser would, holds a script or
// style element, an event-handler attribute, or a javascript:/data:/vbscript: URL.
func checkSafeHTML(t *testing.T, s string) {
	t.Helper()
	doc, err := html.Parse(strings.NewReader(s))
	if err != nil {
		t.Fatalf("sanitized HTML does not parse: %v", err)
	}
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			switch n.Data {
			case "script", "style", "iframe", "object", "embed", "form", "img", "svg", "math", "link", "meta", "base":
				t.Fatalf("sanitized HTML holds <%s>: %q", n.Data, s)
			}
			for _, a := range n.Attr {
				k := strings.ToLower(a.Key)
				v := strings.ToLower(strings.Join(strings.Fields(a.Val), ""))
				if strings.HasPrefix(k, "on") || k == "style" || k == "srcdoc" {
					t.Fatalf("sanitized HTML holds attribute %s: %q", a.Key, s)
				}
				if strings.HasPrefix(v, "javascript:") || strings.HasPrefix(v, "data:") || strings.HasPrefix(v, "vbscript:") {
					t.Fatalf("sanitized HTML holds URL %q: %q", a.Val, s)
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
}

// visibleRunes is the number of characters a reader sees in s.
func visibleRunes(s string) int {
	doc, err := html.Parse(strings.NewReader(s))
	if err != nil {
		return 0
	}
	return utf8.RuneCountInString(textOf(doc))
}

var hostileSeeds = []string{
	`<script>alert(1)</script><p onclick="alert(1)">x</p>`,
	`<a href="javascript:alert(1)">click</a><a href=" jAvAsCrIpT:alert(1)">2</a><a href="data:text/html,<script>">3</a>`,
	`<img src=x onerror=alert(1)><svg onload=alert(1)><math><mi xlink:href="javascript:alert(1)">x</mi></math>`,
	`<p>ok</p><iframe srcdoc="<script>alert(1)</script>"></iframe><style>@import 'x'</style>`,
	`<div><p>Unclosed <b>bold <i>italic</p></div><!-- comment --><![CDATA[ x ]]>`,
	`<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>`,
	`<a href="https://example.org/?a=1&b=2" target=_blank rel=opener>link</a>`,
	`<form action="javascript:alert(1)"><input autofocus onfocus=alert(1)></form>`,
}

func FuzzSanitize(f *testing.F) {
	for _, s := range hostileSeeds {
		f.Add(s)
	}
	z := NewSanitizer()
	f.Fuzz(func(t *testing.T, in string) {
		out := z.Sanitize(in)
		checkSafeHTML(t, out)
		if got, max := visibleRunes(out), utf8.RuneCountInString(in); got > max {
			t.Fatalf("sanitized text has %d characters, input only %d: %q -> %q", got, max, in, out)
		}
	})
}

func FuzzExtract(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "*.html"))
	for _, p := range files {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b, "")
		}
	}
	for _, s := range hostileSeeds {
		f.Add([]byte("<html><body><article><p>"+strings.Repeat("Prose around hostile markup. ", 8)+"</p>"+s+"<p>"+strings.Repeat("More prose here. ", 10)+"</p></article></body></html>"), "text/html; charset=utf-8")
	}
	f.Add([]byte("\xff\xfe<\x00p\x00>\x00"), "")
	f.Add([]byte(`<script type="application/ld+json">{"@type":"NewsArticle","articleBody":"<script>alert(1)</script>`+strings.Repeat("Body text. ", 40)+`"}</script>`), "")
	ex, err := New(Options{MinTextRunes: 1, HTML: true})
	if err != nil {
		f.Fatal(err)
	}
	base, _ := url.Parse("https://example.org/news/a.html")
	f.Fuzz(func(t *testing.T, raw []byte, contentType string) {
		res, err := ex.Extract(raw, base, contentType)
		if err != nil {
			if !errors.Is(err, ErrNoArticle) {
				t.Fatalf("error not ErrNoArticle: %v", err)
			}
			return
		}
		checkSafeHTML(t, res.HTML)
		if n := utf8.RuneCountInString(res.Text); n > len(raw) {
			t.Fatalf("text has %d characters, input only %d bytes", n, len(raw))
		}
		if !utf8.ValidString(res.Text) {
			t.Fatalf("text is not valid UTF-8: %q", res.Text)
		}
	})
}
