package ingest

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"flag"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mmcdole/gofeed"

	"github.com/newsdesk/newsdesk/internal/cputime"
)

var (
	feedsDir   = flag.String("feeds", "", "directory of the feed corpus (shared/corpus/feeds) for TestFeedCorpus; skipped when empty")
	feedsFloor = flag.Int("feeds-floor", 104, "TestFeedCorpus fails when fewer feeds parse")
)

// corpusFeed is one document of the feed corpus with its INDEX.tsv row.
type corpusFeed struct {
	name, lang, quirk string
	data              []byte
}

// loadFeedCorpus reads every feed INDEX.tsv lists; tb is skipped when no
// -feeds directory was given.
func loadFeedCorpus(tb testing.TB) []corpusFeed {
	tb.Helper()
	if *feedsDir == "" {
		tb.Skip("no -feeds directory given")
	}
	f, err := os.Open(filepath.Join(*feedsDir, "INDEX.tsv"))
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	var feeds []corpusFeed
	for sc.Scan() {
		cols := strings.Split(sc.Text(), "\t")
		if len(cols) < 5 || cols[0] == "file" {
			continue
		}
		data, err := readCorpusFile(filepath.Join(*feedsDir, cols[0]))
		if err != nil {
			tb.Fatalf("%s: %v", cols[0], err)
		}
		feeds = append(feeds, corpusFeed{name: cols[0], lang: cols[3], quirk: cols[4], data: data})
	}
	if err := sc.Err(); err != nil {
		tb.Fatal(err)
	}
	return feeds
}

func (c corpusFeed) url() string { return "https://feeds.example.org/" + c.name }

// TestFeedCorpus parses every feed listed in the corpus INDEX.tsv and
// reports how many parse (gofeed v1.4.2 alone: 96 of 109). Run:
//
//	go test ./ingest -run TestFeedCorpus -v -feeds /work/shared/corpus/feeds
func TestFeedCorpus(t *testing.T) {
	feeds := loadFeedCorpus(t)
	ok, withItems := 0, 0
	langItems, langAgree := 0, 0
	for _, cf := range feeds {
		items, err := ParseFeed(cf.data, "", cf.url())
		if err != nil {
			t.Logf("FAIL %-55s %s: %v", cf.name, cf.quirk, err)
			continue
		}
		ok++
		if len(items) > 0 {
			withItems++
		}
		for _, it := range items {
			if l := cf.lang; l == "de" || l == "en" {
				langItems++
				if it.Language == l {
					langAgree++
				}
			}
		}
		for _, it := range items {
			if strings.Contains(it.Title, "Ã") || strings.Contains(it.Description, "Ã¼") {
				t.Logf("MOJIBAKE? %s: %q", cf.name, it.Title)
				break
			}
		}
	}
	t.Logf("parsed %d of %d feeds (%d with items); floor %d", ok, len(feeds), withItems, *feedsFloor)
	if langItems > 0 {
		t.Logf("item language agrees with INDEX.tsv on %d of %d items of German and English feeds (%.1f%%)", langAgree, langItems, 100*float64(langAgree)/float64(langItems))
	}
	if ok < *feedsFloor {
		t.Errorf("parsed %d feeds, below the floor of %d", ok, *feedsFloor)
	}
}

// BenchmarkFeedCorpus compares ParseFeed with gofeed's own Parse on the
// corpus feeds both parse; one op is one pass over all of them, for each
// system alike. For a fair ratio, interleave runs:
//
//	for i in 1 2 3 4 5 6; do go test ./ingest -run XXX -bench FeedCorpus -count 1 -feeds DIR; done > out.txt; benchstat out.txt
func BenchmarkFeedCorpus(b *testing.B) {
	var common []corpusFeed
	size := 0
	for _, cf := range loadFeedCorpus(b) {
		if _, err := ParseFeed(cf.data, "", cf.url()); err != nil {
			continue
		}
		if _, err := gofeed.NewParser().Parse(bytes.NewReader(cf.data)); err != nil {
			continue
		}
		common = append(common, cf)
		size += len(cf.data)
	}
	b.Logf("%d feeds both parse, %d bytes", len(common), size)
	b.Run("common", func(b *testing.B) {
		// newsdesk is the parse of a poll: items with identity, title text,
		// absolute link, date and declared language; the text and language
		// of an item are finished only when it is new (Process).
		b.Run("newsdesk", func(b *testing.B) {
			b.SetBytes(int64(size))
			b.ReportAllocs()
			fp := newFeedParser()
			cpu := cputime.Start()
			for b.Loop() {
				for _, cf := range common {
					if _, err := parseFeed(fp, cf.data, "", cf.url(), ""); err != nil {
						b.Fatal(err)
					}
				}
			}
			cpu.Report(b)
		})
		// newsdesk-finished is ParseFeed (`newsdesk feed parse`): every
		// item finished, descriptions as text, languages detected.
		b.Run("newsdesk-finished", func(b *testing.B) {
			b.SetBytes(int64(size))
			b.ReportAllocs()
			cpu := cputime.Start()
			for b.Loop() {
				for _, cf := range common {
					if _, err := ParseFeed(cf.data, "", cf.url()); err != nil {
						b.Fatal(err)
					}
				}
			}
			cpu.Report(b)
		})
		b.Run("gofeed", func(b *testing.B) {
			b.SetBytes(int64(size))
			b.ReportAllocs()
			fp := gofeed.NewParser()
			cpu := cputime.Start()
			for b.Loop() {
				for _, cf := range common {
					if _, err := fp.Parse(bytes.NewReader(cf.data)); err != nil {
						b.Fatal(err)
					}
				}
			}
			cpu.Report(b)
		})
	})
}
func readCorpusFile(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var r io.Reader = f
	if strings.HasSuffix(path, ".gz") {
		zr, err := gzip.NewReader(f)
		if err != nil {
			return nil, err
		}
		r = zr
	}
	return io.ReadAll(io.LimitReader(r, DefaultMaxFeedBytes))
}
