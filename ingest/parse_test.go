package ingest

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

var update = flag.Bool("update", false, "rewrite golden files")

// goldenItem is FeedItem with the fields the CLI JSON leaves out.
type goldenItem struct {
	FeedItem
	Description string   `json:"description,omitempty"`
	Authors     []string `json:"authors,omitempty"`
}

func TestParseFeedGolden(t *testing.T) {
	files, err := filepath.Glob("testdata/parse/*")
	if err != nil {
		t.Fatal(err)
	}
	for _, path := range files {
		name := filepath.Base(path)
		if strings.HasSuffix(name, ".golden") || strings.HasPrefix(name, "not-a-feed") || name == "truncated.json" {
			continue
		}
		t.Run(name, func(t *testing.T) {
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			items, err := ParseFeed(data, "", "https://feeds.example/"+name)
			if err != nil {
				t.Fatalf("ParseFeed: %v", err)
			}
			var buf bytes.Buffer
			for _, it := range items {
				line, err := json.Marshal(goldenItem{it, it.Description, it.Authors})
				if err != nil {
					t.Fatal(err)
				}
				buf.Write(line)
				buf.WriteByte('\n')
			}
			golden := path + ".golden"
			if *update {
				if err := os.WriteFile(golden, buf.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run with -update to create)", err)
			}
			if !bytes.Equal(buf.Bytes(), want) {
				t.Errorf("output differs from %s:\n got: %s\nwant: %s", golden, buf.String(), want)
			}
		})
	}
}

func TestParseFeedCases(t *testing.T) {
	const latinTitle = "Größere Lücken bei Halbleitern"
	read := func(name string) []byte {
		data, err := os.ReadFile(filepath.Join("testdata/parse", name))
		if err != nil {
			t.Fatal(err)
		}
		return data
	}
	tests := []struct {
		name        string
		data        []byte
		contentType string
		check       func(t *testing.T, items []FeedItem)
	}{
		{"latin-1 without declaration", read("latin1-nodecl.xml"), "", titleIs(latinTitle)},
		{"latin-1 without declaration, charset in header", read("latin1-nodecl.xml"), "application/rss+xml; charset=ISO-8859-1", titleIs(latinTitle)},
		{"latin-1 declared", read("latin1-declared.xml"), "", titleIs(latinTitle)},
		{"declared latin-1 but UTF-8 bytes", read("mojibake-trap.xml"), "", titleIs(latinTitle)},
		{"declared UTF-8 but latin-1 bytes", read("utf8-declared-latin1-bytes.xml"), "", titleIs(latinTitle)},
		{"UTF-16LE with BOM", read("utf16le-bom.xml"), "", titleIs(latinTitle)},
		{"UTF-16BE with BOM", read("utf16be-bom.xml"), "", titleIs(latinTitle)},
		{"UTF-8 with BOM", read("utf8-bom.xml"), "", titleIs(latinTitle)},
		{"header names a wrong charset over UTF-8", []byte(strings.Replace(string(read("mojibake-trap.xml")), `<?xml version="1.0" encoding="ISO-8859-1"?>`, "", 1)), "text/xml; charset=windows-1252", titleIs(latinTitle)},
		{"duplicate charset params", read("latin1-nodecl.xml"), "text/xml; charset=iso-8859-1; charset=iso-8859-1", titleIs(latinTitle)},
		{"leading junk", read("leading-junk.xml"), "", titleIs("After junk")},
		{"atom inside xhtml", read("atom-in-xhtml.xml"), "", titleIs("Inside XHTML")},
		{"control characters", read("control-chars.xml"), "", titleIs("Badchar and")},
		{"truncated keeps complete items", read("truncated.xml"), "", func(t *testing.T, items []FeedItem) {
			if len(items) != 2 || items[1].Title != "Complete two" {
				t.Errorf("items = %+v", items)
			}
		}},
		{"identity and links", read("rss-basic.xml"), "", func(t *testing.T, items []FeedItem) {
			if len(items) != 4 {
				t.Fatalf("%d items, want 4 (the item listed twice dropped)", len(items))
			}
			want := []struct{ id, link, lang string }{
				{"basic-1", "https://basic.example/news/1", "en"},
				{"https://basic.example/news/2", "https://basic.example/news/2", "de"},
				{"", "", "en"},
				{"https://basic.example/news/5", "https://basic.example/news/5", "en"},
			}
			for i, w := range want {
				it := items[i]
				if w.id != "" && it.ID != w.id || w.id == "" && !strings.HasPrefix(it.ID, "h:") {
					t.Errorf("item %d id %q, want %q", i, it.ID, w.id)
				}
				if it.Link != w.link || it.Language != w.lang {
					t.Errorf("item %d link %q lang %q, want %q %q", i, it.Link, it.Language, w.link, w.lang)
				}
			}
			if items[0].Title != "Chips bold & more" || items[0].Description != "First paragraph. Second." {
				t.Errorf("html not reduced to text: %q / %q", items[0].Title, items[0].Description)
			}
			if !items[0].Published.Equal(time.Date(2026, 11, 27, 8, 0, 0, 0, time.UTC)) || !items[1].Published.IsZero() || !items[3].Published.IsZero() {
				t.Errorf("dates: %v %v %v", items[0].Published, items[1].Published, items[3].Published)
			}
		}},
		{"atom relative links and updated dates", read("atom-relative.xml"), "", func(t *testing.T, items []FeedItem) {
			if len(items) != 2 || items[0].Link != "https://atom.example/blog/posts/1" {
				t.Fatalf("items = %+v", items)
			}
			if !items[1].Published.Equal(time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)) {
				t.Errorf("updated-only entry date %v", items[1].Published)
			}
		}},
		{"json feed", read("jsonfeed.json"), "application/feed+json", func(t *testing.T, items []FeedItem) {
			if len(items) != 2 || items[0].Language != "de" || items[1].Link != "https://json.example/b" || items[1].Description != "Hallo" {
				t.Errorf("items = %+v", items)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			items, err := ParseFeed(tt.data, tt.contentType, "https://feeds.example/f.xml")
			if err != nil {
				t.Fatalf("ParseFeed: %v", err)
			}
			tt.check(t, items)
		})
	}
}

// TestFeedTroubles covers the ways real feeds broke ingest that the corpus
// does not show: each fixture is one kind of trouble, and every item a
// lenient reader finds must come out with its title intact.
func TestFeedTroubles(t *testing.T) {
	read := func(name string) []byte {
		data, err := os.ReadFile(filepath.Join("testdata/parse", name))
		if err != nil {
			t.Fatal(err)
		}
		return data
	}
	utf16NoBOM := func(le bool) []byte {
		doc := `<?xml version="1.0" encoding="utf-16"?><rss version="2.0"><channel><title>x</title>` +
			`<item><title>Größere Lücken</title><link>https://w.example/1</link></item></channel></rss>`
		var out []byte
		for _, r := range doc {
			if le {
				out = append(out, byte(r), byte(r>>8))
			} else {
				out = append(out, byte(r>>8), byte(r))
			}
		}
		return out
	}
	tests := []struct {
		name   string
		data   []byte
		titles []string
		ids    []string // "" skips the check; "h:" wants a title+date hash
	}{
		{"one GUID on every item", read("repeated-guid.xml"), []string{
			"Huawei stellt neuen KI-Beschleuniger vor", "Nvidia darf H20 wieder liefern",
			"DeepSeek veröffentlicht Modell mit offenen Gewichten",
			"Liveblog: Exportkontrollen, Stand 17 Uhr", "Liveblog: Exportkontrollen, Stand 12 Uhr",
		}, []string{"https://ticker.example/2026/11/huawei-ascend", "https://ticker.example/2026/11/nvidia-h20",
			"https://ticker.example/2026/11/deepseek", "h:", "h:"}},
		{"atom namespace as the default on <rss>", read("default-namespace.xml"), []string{
			"Commerce adds twelve Chinese firms to the Entity List", "Senate hearing on open-weight model exports",
			"Qwen team ships a smaller reasoning model",
		}, nil},
		{"default namespace on <channel>", read("channel-namespace.xml"), []string{
			"Commerce adds twelve Chinese firms to the Entity List", "Senate hearing on open-weight model exports",
			"Qwen team ships a smaller reasoning model",
		}, nil},
		{"cut inside CDATA and inside a character", read("truncated-cdata.xml"), []string{
			"Exportkontrollen: Was sich für Händler ändert", "Ascend 910C im Test",
		}, nil},
		{"utf-16 declared over ASCII", read("utf16-declared-ascii.xml"), []string{"Open models close the gap", "Chip curbs, round three"}, nil},
		{"utf-16 declared over UTF-8", read("utf16-declared-utf8.xml"), []string{"Open models close the gap", "Chipsperren – Runde drei für Zulieferer"}, nil},
		{"UTF-16LE without byte-order mark", utf16NoBOM(true), []string{"Größere Lücken"}, nil},
		{"UTF-16BE without byte-order mark", utf16NoBOM(false), []string{"Größere Lücken"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			items, err := ParseFeed(tt.data, "", "https://feeds.example/f.xml")
			if err != nil {
				t.Fatalf("ParseFeed: %v", err)
			}
			var titles []string
			for _, it := range items {
				titles = append(titles, it.Title)
			}
			if !reflect.DeepEqual(titles, tt.titles) {
				t.Errorf("titles\n got %q\nwant %q", titles, tt.titles)
			}
			for i, want := range tt.ids {
				if i >= len(items) {
					break
				}
				if got := items[i].ID; want == "h:" && !strings.HasPrefix(got, "h:") || want != "h:" && got != want {
					t.Errorf("item %d id %q, want %q", i, got, want)
				}
			}
		})
	}
}

func titleIs(want string) func(*testing.T, []FeedItem) {
	return func(t *testing.T, items []FeedItem) {
		t.Helper()
		if len(items) == 0 {
			t.Fatal("no items")
		}
		if items[0].Title != want {
			t.Errorf("title %q, want %q", items[0].Title, want)
		}
	}
}

func TestParseFeedErrors(t *testing.T) {
	read := func(name string) []byte {
		data, err := os.ReadFile(filepath.Join("testdata/parse", name))
		if err != nil {
			t.Fatal(err)
		}
		return data
	}
	tests := []struct {
		name string
		data []byte
		want string
	}{
		{"empty", nil, "empty document"},
		{"whitespace", []byte(" \n "), "empty document"},
		{"html page", read("not-a-feed.html"), "not an RSS, Atom or JSON feed"},
		{"plain text", []byte("hello world"), "not an RSS, Atom or JSON feed"},
		{"truncated json", read("truncated.json"), "parse feed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseFeed(tt.data, "", "https://feeds.example/f")
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want one containing %q", err, tt.want)
			}
		})
	}
}

func FuzzParseFeed(f *testing.F) {
	files, _ := filepath.Glob("testdata/parse/*")
	for _, p := range files {
		if strings.HasSuffix(p, ".golden") {
			continue
		}
		if data, err := os.ReadFile(p); err == nil {
			f.Add(data, "")
		}
	}
	f.Add([]byte("<rss><channel><item><title>x</title></item>"), "text/xml; charset=latin1")
	f.Add([]byte("\xff\xfe<\x00r\x00s\x00s\x00"), "")
	f.Fuzz(func(t *testing.T, data []byte, contentType string) {
		items, err := ParseFeed(data, contentType, "https://feeds.example/f.xml")
		if err != nil {
			return
		}
		seen := map[string]bool{}
		for _, it := range items {
			if it.ID == "" {
				t.Fatal("item without identity")
			}
			if seen[it.ID] {
				t.Fatalf("duplicate identity %q", it.ID)
			}
			seen[it.ID] = true
			for _, s := range []string{it.Title, it.Description, it.Link} {
				if !utf8.ValidString(s) {
					t.Fatalf("invalid UTF-8 in output %q", s)
				}
				if strings.ContainsAny(s, "<>") && s != it.Link && strings.Contains(s, "<script") {
					t.Fatalf("markup leaked into text: %q", s)
				}
			}
			if it.Link != "" && !isHTTPURL(it.Link) {
				t.Fatalf("non-http link %q", it.Link)
			}
			if it.Language == "" {
				t.Fatal("empty language")
			}
		}
	})
}

func BenchmarkParseFeed(b *testing.B) {
	data, err := os.ReadFile("testdata/parse/rss-basic.xml")
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := ParseFeed(data, "", "https://feeds.example/f.xml"); err != nil {
			b.Fatal(err)
		}
	}
}

func TestFeedTTL(t *testing.T) {
	tests := []struct {
		name, doc string
		want      time.Duration
	}{
		{"rss ttl", `<rss version="2.0"><channel><title>t</title><ttl>120</ttl></channel></rss>`, 2 * time.Hour},
		{"bad ttl", `<rss version="2.0"><channel><title>t</title><ttl>soon</ttl></channel></rss>`, 0},
		{"sy daily", `<rss version="2.0" xmlns:sy="http://purl.org/rss/1.0/modules/syndication/"><channel><title>t</title><sy:updatePeriod>daily</sy:updatePeriod><sy:updateFrequency>4</sy:updateFrequency></channel></rss>`, 6 * time.Hour},
		{"atom", `<feed xmlns="http://www.w3.org/2005/Atom"><title>t</title></feed>`, 0},
	}
	for _, tt := range tests {
		pf, err := parseFeed(newFeedParser(), []byte(tt.doc), "", "https://x.example/f", "")
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if pf.TTL != tt.want {
			t.Errorf("%s: TTL %v, want %v", tt.name, pf.TTL, tt.want)
		}
	}
}
