package sample

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"golang.org/x/net/html/charset"
)

// TestPageMetadata checks the markup extractors read besides the text:
// rel=canonical, og: tags, and JSON-LD NewsArticle with or without
// articleBody, as each outlet is configured.
func TestPageMetadata(t *testing.T) {
	srv := serve(t)
	c, err := loadCatalog()
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, a := range Articles() {
		resp, body := get(t, srv.URL+a.Path, nil)
		r, err := charset.NewReader(bytes.NewReader(body), resp.Header.Get("Content-Type"))
		if err != nil {
			t.Fatal(err)
		}
		doc, err := goquery.NewDocumentFromReader(r)
		if err != nil {
			t.Fatal(err)
		}
		url := srv.URL + a.Path
		if got, _ := doc.Find(`link[rel="canonical"]`).Attr("href"); got != url {
			t.Errorf("%s: canonical %q", a.Path, got)
		}
		if got, _ := doc.Find(`meta[property="og:title"]`).Attr("content"); got != a.Title {
			t.Errorf("%s: og:title %q", a.Path, got)
		}
		if got, _ := doc.Find(`meta[property="og:url"]`).Attr("content"); got != url {
			t.Errorf("%s: og:url %q", a.Path, got)
		}
		if doc.Find("h1").First().Text() != a.Title {
			t.Errorf("%s: <h1> %q", a.Path, doc.Find("h1").First().Text())
		}
		if doc.Find("figure img, .bild img").Length() == 0 || doc.Find("figcaption, .bildunterschrift").Length() == 0 {
			t.Errorf("%s: no image with caption", a.Path)
		}

		mode := c.byPath[a.Path].outlet.JSONLD
		seen[mode] = true
		scripts := doc.Find(`script[type="application/ld+json"]`)
		if mode == "" {
			if scripts.Length() != 0 {
				t.Errorf("%s: JSON-LD on an outlet configured without it", a.Path)
			}
			continue
		}
		var ld struct {
			Type        string `json:"@type"`
			Headline    string `json:"headline"`
			Published   string `json:"datePublished"`
			ArticleBody string `json:"articleBody"`
		}
		raw := []byte(scripts.First().Text())
		if mode == "graph" {
			var g struct {
				Graph []json.RawMessage `json:"@graph"`
			}
			if err := json.Unmarshal(raw, &g); err != nil || len(g.Graph) == 0 {
				t.Fatalf("%s: JSON-LD @graph: %v", a.Path, err)
			}
			raw = g.Graph[0]
		}
		if err := json.Unmarshal(raw, &ld); err != nil {
			t.Fatalf("%s: JSON-LD: %v\n%s", a.Path, err, raw)
		}
		if ld.Type != "NewsArticle" || ld.Headline != a.Title || ld.Published == "" {
			t.Errorf("%s: JSON-LD %+v", a.Path, ld)
		}
		switch mode {
		case "meta":
			if ld.ArticleBody != "" {
				t.Errorf("%s: articleBody present on a meta-only outlet", a.Path)
			}
		default:
			if ld.ArticleBody != a.Text {
				t.Errorf("%s: articleBody differs from the expected text", a.Path)
			}
		}
	}
	for _, mode := range []string{"", "meta", "body", "graph"} {
		if !seen[mode] {
			t.Errorf("no outlet with JSON-LD mode %q", mode)
		}
	}
}
