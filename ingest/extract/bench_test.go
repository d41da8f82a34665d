package extract

import (
	"bytes"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	readeck "codeberg.org/readeck/go-readability/v2"
	"github.com/markusmobius/go-trafilatura"

	"github.com/newsdesk/newsdesk/internal/cputime"
)

// The peers are imported only here and in corpus_test.go, so they stay out
// of the binary: `go list -deps ./cmd/newsdesk` does not name them.

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

// BenchmarkExtractCorpus times our extractor and the two peers it is
// compared with. One op is one full pass over the same pages for every
// system (all corpus pages with -corpus, else the fixtures), so ns/op and
// the CPU-time metrics compare like with like whatever b.N each system
// gets. CPU time is the process's user+system time over the timed loop
// (garbage collection included); on a shared machine it is the steadier
// figure, wall time the one that waits for other load.
//
// Rounds must interleave, so that load from elsewhere hits every system
// alike; run the compiled test binary once per round:
//
//	go test -c -o /tmp/extract.test ./ingest/extract
//	for i in 1 2 3 4 5 6; do
//	  /tmp/extract.test -test.run '^$' -test.bench ExtractCorpus -test.benchtime 1x -corpus "$PWD/../shared/corpus/articles"
//	done | tee /tmp/extract.bench
//	benchstat /tmp/extract.bench
func BenchmarkExtractCorpus(b *testing.B) {
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
		{"readeck", func(p benchPage) {
			parser := readeck.NewParser()
			a, err := parser.Parse(bytes.NewReader(p.html), p.url)
			if err == nil && a.Node != nil {
				var sb strings.Builder
				_ = a.RenderText(&sb)
			}
		}},
		{"go-trafilatura", func(p benchPage) {
			_, _ = trafilatura.Extract(bytes.NewReader(p.html), trafilatura.Options{OriginalURL: p.url})
		}},
	}
	for _, s := range systems {
		b.Run(s.name, func(b *testing.B) {
			b.SetBytes(total)
			b.ReportAllocs()
			cpu0 := cputime.Process()
			for b.Loop() {
				for _, p := range pages {
					s.run(p)
				}
			}
			cpu := (cputime.Process() - cpu0).Seconds()
			if cpu > 0 {
				b.ReportMetric(cpu/float64(b.N), "cpu-s/op")
				b.ReportMetric(float64(b.N*len(pages))/cpu, "pages/cpu-s")
			}
			b.ReportMetric(float64(b.N*len(pages))/b.Elapsed().Seconds(), "pages/s")
		})
	}
}
