package feed_test

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/mmcdole/gofeed"

	"github.com/newsdesk/newsdesk/publish/feed"
)

var update = flag.Bool("update", false, "rewrite golden files")

func channel() feed.Channel {
	return feed.Channel{
		Title:       "KI-Wettlauf: Nachrichtenüberblick",
		Description: "Tägliche Übersicht",
		Language:    "de",
		HomeURL:     "https://news.example.org/archive/de/",
		Authority:   "news.example.org",
		Author:      "newsdesk",
		Generator:   "newsdesk",
	}
}

func items() []feed.Item {
	return []feed.Item{
		{
			ID: "digest:daily:2026-11-29:de:p1", Title: "Übersicht 29.11. <&> \"Chips\"",
			URL: "https://news.example.org/archive/de/2026-11-29-daily.html", Date: "2026-11-29",
			Published:   time.Date(2026, 11, 29, 6, 0, 0, 0, time.UTC),
			Summary:     "Zwei Meldungen & mehr",
			ContentHTML: `<p>Exportregeln <sup><a href="https://www.heise.de/1">[1]</a></sup> ]]> CDATA-Ende</p>`,
			Author:      "newsdesk",
		},
		{
			ID: "digest:daily:2026-11-28:de:p1", Title: "Übersicht 28.11.",
			URL: "https://news.example.org/archive/de/2026-11-28-daily.html", Date: "2026-11-28",
			Published:   time.Date(2026, 11, 28, 6, 0, 0, 0, time.FixedZone("CET", 3600)),
			Summary:     "Steuerzeichen\x01 bleiben draußen",
			ContentHTML: "<p>Zweite</p>",
		},
	}
}

type format struct {
	name, self string
	enc        func(feed.Channel, string, []feed.Item) ([]byte, error)
}

var formats = []format{
	{"rss.xml", "https://news.example.org/feeds/de.xml", feed.RSS},
	{"atom.xml", "https://news.example.org/feeds/de.atom", feed.Atom},
	{"feed.json", "https://news.example.org/feeds/de.json", feed.JSON},
}

func TestGolden(t *testing.T) {
	for _, f := range formats {
		t.Run(f.name, func(t *testing.T) {
			got, err := f.enc(channel(), f.self, items())
			if err != nil {
				t.Fatal(err)
			}
			again, _ := f.enc(channel(), f.self, items())
			if !bytes.Equal(got, again) {
				t.Error("rendering twice gave different bytes")
			}
			path := filepath.Join("testdata", f.name+".golden")
			if *update {
				if err := os.WriteFile(path, got, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run with -update)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("output differs from %s (run with -update if intended):\n%s", path, got)
			}
		})
	}
}

// TestRoundTrip parses every format with gofeed and checks ids, dates,
// language and links survive.
func TestRoundTrip(t *testing.T) {
	its := items()
	for _, f := range formats {
		t.Run(f.name, func(t *testing.T) {
			data, err := f.enc(channel(), f.self, its)
			if err != nil {
				t.Fatal(err)
			}
			parsed, err := gofeed.NewParser().Parse(bytes.NewReader(data))
			if err != nil {
				t.Fatalf("gofeed: %v", err)
			}
			if parsed.Language != "de" {
				t.Errorf("language %q, want de", parsed.Language)
			}
			if parsed.FeedLink != f.self {
				t.Errorf("self link %q, want %q", parsed.FeedLink, f.self)
			}
			if len(parsed.Items) != len(its) {
				t.Fatalf("%d items, want %d", len(parsed.Items), len(its))
			}
			for i, it := range parsed.Items {
				want := its[i].ID
				if f.name == "atom.xml" {
					want = feed.TagURI("news.example.org", its[i])
				}
				if it.GUID != want {
					t.Errorf("item %d id %q, want %q", i, it.GUID, want)
				}
				if it.PublishedParsed == nil || !it.PublishedParsed.Equal(its[i].Published) {
					t.Errorf("item %d published %v, want %v", i, it.PublishedParsed, its[i].Published)
				}
				wantTitle := its[i].Title
				if f.name == "rss.xml" {
					// RSS titles carry no angle brackets (see feed.RSS).
					wantTitle = strings.NewReplacer("<", "‹", ">", "›").Replace(wantTitle)
				}
				if it.Title != wantTitle {
					t.Errorf("item %d title %q, want %q", i, it.Title, wantTitle)
				}
				if it.Link != its[i].URL {
					t.Errorf("item %d link %q, want %q", i, it.Link, its[i].URL)
				}
				if !strings.Contains(it.Content, `href="https://www.heise.de/1"`) && i == 0 {
					t.Errorf("item %d content lost the citation link: %q", i, it.Content)
				}
			}
		})
	}
}

// TestValidatorRules checks what the W3C feed validator and the specs ask
// for: self link, guid with isPermaLink=false, RFC 822 dates with numeric
// zones and 4-digit years, unique ids, Atom ids as tag: URIs, JSON Feed 1.1
// fields.
func TestValidatorRules(t *testing.T) {
	its := items()
	rss, _ := feed.RSS(channel(), formats[0].self, its)
	var r struct {
		Channel struct {
			LastBuildDate string `xml:"lastBuildDate"`
			Language      string `xml:"language"`
			Links         []struct {
				Href string `xml:"href,attr"`
				Rel  string `xml:"rel,attr"`
			} `xml:"http://www.w3.org/2005/Atom link"`
			Items []struct {
				GUID struct {
					PermaLink string `xml:"isPermaLink,attr"`
					Value     string `xml:",chardata"`
				} `xml:"guid"`
				PubDate string `xml:"pubDate"`
				Content string `xml:"http://purl.org/rss/1.0/modules/content/ encoded"`
			} `xml:"item"`
		} `xml:"channel"`
	}
	if err := xml.Unmarshal(rss, &r); err != nil {
		t.Fatal(err)
	}
	if len(r.Channel.Links) != 1 || r.Channel.Links[0].Rel != "self" || r.Channel.Links[0].Href != formats[0].self {
		t.Errorf("rss atom:link self = %+v", r.Channel.Links)
	}
	dates := []string{r.Channel.LastBuildDate}
	seen := map[string]bool{}
	for _, it := range r.Channel.Items {
		if it.GUID.Value == "" || it.GUID.PermaLink != "false" {
			t.Errorf("guid %+v: want a value and isPermaLink=false", it.GUID)
		}
		if seen[it.GUID.Value] {
			t.Errorf("duplicate guid %q", it.GUID.Value)
		}
		seen[it.GUID.Value] = true
		if it.Content == "" {
			t.Error("item without content:encoded")
		}
		dates = append(dates, it.PubDate)
	}
	for _, d := range dates {
		if _, err := time.Parse(time.RFC1123Z, d); err != nil {
			t.Errorf("date %q is not RFC 822 with numeric zone and 4-digit year: %v", d, err)
		}
	}

	atom, _ := feed.Atom(channel(), formats[1].self, its)
	var a struct {
		Lang    string `xml:"http://www.w3.org/XML/1998/namespace lang,attr"`
		ID      string `xml:"id"`
		Updated string `xml:"updated"`
		Links   []struct {
			Rel  string `xml:"rel,attr"`
			Href string `xml:"href,attr"`
		} `xml:"link"`
		Entries []struct {
			ID      string `xml:"id"`
			Updated string `xml:"updated"`
			Title   string `xml:"title"`
		} `xml:"entry"`
	}
	if err := xml.Unmarshal(atom, &a); err != nil {
		t.Fatal(err)
	}
	if a.Lang != "de" {
		t.Errorf("atom xml:lang %q", a.Lang)
	}
	rels := map[string]int{}
	for _, l := range a.Links {
		rels[l.Rel]++
	}
	if rels["self"] != 1 || rels["alternate"] != 1 {
		t.Errorf("atom feed links %+v: want one self and one alternate", a.Links)
	}
	if !strings.HasPrefix(a.ID, "tag:news.example.org,") {
		t.Errorf("atom feed id %q", a.ID)
	}
	seen = map[string]bool{}
	for _, e := range a.Entries {
		if !strings.HasPrefix(e.ID, "tag:news.example.org,2026-11-") || seen[e.ID] {
			t.Errorf("entry id %q not a unique tag: URI", e.ID)
		}
		seen[e.ID] = true
		if _, err := time.Parse(time.RFC3339, e.Updated); err != nil || e.Title == "" {
			t.Errorf("entry updated %q / title %q", e.Updated, e.Title)
		}
	}

	js, _ := feed.JSON(channel(), formats[2].self, its)
	var j map[string]any
	if err := json.Unmarshal(js, &j); err != nil {
		t.Fatal(err)
	}
	if j["version"] != feed.JSONFeedVersion || j["language"] != "de" || j["authors"] == nil {
		t.Errorf("json feed header: version %v language %v authors %v", j["version"], j["language"], j["authors"])
	}
	for _, it := range j["items"].([]any) {
		m := it.(map[string]any)
		if m["id"] == "" || (m["content_html"] == nil && m["content_text"] == nil) {
			t.Errorf("json item lacks id or content: %v", m)
		}
	}
}

func TestEmptyFeedsAreValid(t *testing.T) {
	for _, f := range formats {
		data, err := f.enc(channel(), f.self, nil)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := gofeed.NewParser().Parse(bytes.NewReader(data)); err != nil {
			t.Errorf("%s: empty feed does not parse: %v", f.name, err)
		}
	}
}

func FuzzFeeds(f *testing.F) {
	f.Add("Titel", "digest:x", "<p>a</p>", "de")
	f.Add("\x00\x01<]]>&", "id\"<>", "]]><script>", "de\n")
	f.Fuzz(func(t *testing.T, title, id, html, lang string) {
		ch := channel()
		ch.Title = title
		it := feed.Item{ID: id, Title: title, ContentHTML: html, Summary: title, Published: time.Unix(1e9, 0).UTC()}
		for _, fm := range formats {
			data, err := fm.enc(ch, fm.self, []feed.Item{it})
			if err != nil {
				continue // invalid UTF-8 may be refused by encoding/json; never a panic
			}
			if fm.name == "feed.json" {
				if !json.Valid(data) {
					t.Fatalf("invalid JSON: %s", data)
				}
				continue
			}
			d := xml.NewDecoder(bytes.NewReader(data))
			for {
				_, err := d.Token()
				if err != nil {
					if err.Error() == "EOF" {
						break
					}
					t.Fatalf("%s: not well-formed XML: %v\n%s", fm.name, err, data)
				}
			}
		}
	})
}
