package extract

import (
	"bytes"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	readeck "codeberg.org/readeck/go-readability/v2"
	shiori "github.com/go-shiori/go-readability"
	"github.com/markusmobius/go-trafilatura"
)

type benchPage struct {
	html []byte
	url  *url.URL
}

// benchPages are the corpus pages when -corpus is given, else the fixtures.
func benchPages(b *testing.B) []benchPage {
	b.Helper()
	var pages []benchPage
	if *corpusDir != "" {
		for _, p := range loadCorpus(b, *corpusDir) {
			pages = append(pages, benchPage{p.html, p.url})
		}
		return pages
	}
	files, _ := filepath.Glob(filepath.Join("testdata", "*.html"))
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			b.Fatal(err)
		}
		u, _ := url.Parse("https://example.org/news/" + filepath.Base(f))
		pages = append(pages, benchPage{raw, u})
	}
	return pages
}

// BenchmarkExtract measures pages per second for our extractor and the two
// libraries it is compared with, on the same pages in the same run:
//
//	go test ./ingest/extract -run XXX -bench Extract -benchtime 300x -corpus /path/to/articles
func BenchmarkExtract(b *testing.B) {
	pages := benchPages(b)
	var total int64
	for _, p := range pages {
		total += int64(len(p.html))
	}
	ex, err := New(Options{})
	if err != nil {
		b.Fatal(err)
	}
	systems := []struct {
		name string
		run  func(p benchPage)
	}{
		{"newsdesk", func(p benchPage) { _, _ = ex.Extract(p.html, p.url, "") }},
		{"go-trafilatura", func(p benchPage) {
			_, _ = trafilatura.Extract(bytes.NewReader(p.html), trafilatura.Options{OriginalURL: p.url})
		}},
		{"go-trafilatura+fallback", func(p benchPage) {
			_, _ = trafilatura.Extract(bytes.NewReader(p.html), trafilatura.Options{OriginalURL: p.url, EnableFallback: true})
		}},
		{"readeck-go-readability", func(p benchPage) {
			parser := readeck.NewParser()
			a, err := parser.Parse(bytes.NewReader(p.html), p.url)
			if err == nil && a.Node != nil {
				var sb strings.Builder
				_ = a.RenderText(&sb)
			}
		}},
		{"shiori-go-readability", func(p benchPage) { _, _ = shiori.FromReader(bytes.NewReader(p.html), p.url) }},
	}
	for _, s := range systems {
		b.Run(s.name, func(b *testing.B) {
			b.SetBytes(total / int64(len(pages)))
			b.ReportAllocs()
			for i := 0; b.Loop(); i++ {
				s.run(pages[i%len(pages)])
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "pages/s")
		})
	}
}
