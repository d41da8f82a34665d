package ingest

import (
	"bufio"
	"compress/gzip"
	"flag"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var (
	feedsDir   = flag.String("feeds", "", "directory of the feed corpus (shared/corpus/feeds) for TestFeedCorpus; skipped when empty")
	feedsFloor = flag.Int("feeds-floor", 104, "TestFeedCorpus fails when fewer feeds parse")
)

// TestFeedCorpus parses every feed listed in the corpus INDEX.tsv and
// reports how many parse (gofeed v1.4.2 alone: 96 of 109). Run:
//
//	go test ./ingest -run TestFeedCorpus -v -feeds /work/shared/corpus/feeds
func TestFeedCorpus(t *testing.T) {
	if *feedsDir == "" {
		t.Skip("no -feeds directory given")
	}
	f, err := os.Open(filepath.Join(*feedsDir, "INDEX.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	total, ok, withItems := 0, 0, 0
	langItems, langAgree := 0, 0
	for sc.Scan() {
		cols := strings.Split(sc.Text(), "\t")
		if len(cols) < 5 || cols[0] == "file" {
			continue
		}
		name := cols[0]
		total++
		data, err := readCorpusFile(filepath.Join(*feedsDir, name))
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		items, err := ParseFeed(data, "", "https://feeds.example.org/"+name)
		if err != nil {
			t.Logf("FAIL %-55s %s: %v", name, cols[4], err)
			continue
		}
		ok++
		if len(items) > 0 {
			withItems++
		}
		for _, it := range items {
			if l := cols[3]; l == "de" || l == "en" {
				langItems++
				if it.Language == l {
					langAgree++
				}
			}
		}
		for _, it := range items {
			if strings.Contains(it.Title, "Ã") || strings.Contains(it.Description, "Ã¼") {
				t.Logf("MOJIBAKE? %s: %q", name, it.Title)
				break
			}
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	t.Logf("parsed %d of %d feeds (%d with items); floor %d", ok, total, withItems, *feedsFloor)
	if langItems > 0 {
		t.Logf("item language agrees with INDEX.tsv on %d of %d items of German and English feeds (%.1f%%)", langAgree, langItems, 100*float64(langAgree)/float64(langItems))
	}
	if ok < *feedsFloor {
		t.Errorf("parsed %d feeds, below the floor of %d", ok, *feedsFloor)
	}
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
