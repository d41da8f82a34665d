package opml

import (
	"bytes"
	"reflect"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/encoding/charmap"
)

const sample = `<?xml version="1.0" encoding="ISO-8859-1"?>
<opml version="2.0">
<head><title>Abos</title></head>
<body>
  <outline text="Deutsch">
    <outline text="heise" title="heise online" type="rss" xmlUrl="https://www.heise.de/rss/heise-atom.xml" htmlUrl="https://www.heise.de/"/>
    <outline text="Technik">
      <outline text="golem" type="rss" xmlUrl="https://rss.golem.de/rss.php?feed=ATOM1.0"/>
    </outline>
  </outline>
  <outline text="IT">
    <outline text="The Register" type="rss" xmlUrl="https://www.theregister.com/headlines.atom"/>
  </outline>
  <outline text="SCMP" type="rss" xmlUrl="https://www.scmp.com/rss/5/feed" category="/News/en,/Asia"/>
  <outline text="Le Monde" type="rss" xmlUrl="https://www.lemonde.fr/rss/une.xml" language="fr-FR"/>
  <outline text="Türkei-Ticker" type="rss" xmlUrl="https://ticker.example/tr.xml" category="Türkçe"/>
  <outline text="no url" type="rss"/>
  <outline text="ftp" type="rss" xmlUrl="ftp://x.example/feed"/>
</body>
</opml>`

func TestParse(t *testing.T) {
	// The file is in ISO-8859-1, as its declaration says.
	doc, err := charmap.ISO8859_1.NewEncoder().String(sample)
	if err != nil {
		t.Fatal(err)
	}
	feeds, err := Parse(strings.NewReader(doc))
	if err != nil {
		t.Fatal(err)
	}
	type row struct{ title, url, lang string }
	var got []row
	for _, f := range feeds {
		got = append(got, row{f.Title, f.XMLURL, f.Language})
	}
	want := []row{
		{"heise online", "https://www.heise.de/rss/heise-atom.xml", "de"},
		{"golem", "https://rss.golem.de/rss.php?feed=ATOM1.0", "de"},
		{"The Register", "https://www.theregister.com/headlines.atom", ""},
		{"SCMP", "https://www.scmp.com/rss/5/feed", "en"},
		{"Le Monde", "https://www.lemonde.fr/rss/une.xml", "fr"},
		{"Türkei-Ticker", "https://ticker.example/tr.xml", "tr"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got  %q\nwant %q", got, want)
	}
	if feeds[0].HTMLURL != "https://www.heise.de/" || !reflect.DeepEqual(feeds[1].Categories, []string{"Deutsch", "Technik"}) {
		t.Errorf("feed 0 %+v, feed 1 %+v", feeds[0], feeds[1])
	}
}

func TestParseErrors(t *testing.T) {
	for name, doc := range map[string]string{
		"empty":    "",
		"not opml": `<rss version="2.0"><channel/></rss>`,
		"no feeds": `<opml version="2.0"><body><outline text="folder"/></body></opml>`,
		"not xml":  `{"feeds": []}`,
	} {
		if _, err := Parse(strings.NewReader(doc)); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

func TestLanguageCode(t *testing.T) {
	for in, want := range map[string]string{
		"de": "de", "de-AT": "de", "en_US": "en", "German": "de", "DEUTSCH": "de", "Englisch": "en",
		"français": "fr", "IT": "", "it": "it", "News": "", "Tech": "", "": "", "xx": "", "deu": "",
	} {
		if got := LanguageCode(in); got != want {
			t.Errorf("LanguageCode(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestWriteRoundTrip(t *testing.T) {
	in := []Export{
		{Title: "heise online", XMLURL: "https://www.heise.de/rss/heise-atom.xml", Language: "de"},
		{Title: "Ars & Co <Technica>", XMLURL: "https://feeds.arstechnica.com/arstechnica/index?a=1&b=2"},
	}
	var buf bytes.Buffer
	if err := Write(&buf, "newsdesk", time.Date(2026, 12, 6, 0, 0, 0, 0, time.UTC), in); err != nil {
		t.Fatal(err)
	}
	feeds, err := Parse(&buf)
	if err != nil {
		t.Fatalf("%v\n%s", err, buf.String())
	}
	if len(feeds) != 2 || feeds[0].Language != "de" || feeds[1].Title != in[1].Title || feeds[1].XMLURL != in[1].XMLURL || feeds[1].Language != "" {
		t.Errorf("round trip: %+v", feeds)
	}
}

func FuzzParse(f *testing.F) {
	f.Add([]byte(sample))
	f.Add([]byte(`<opml><body><outline xmlUrl="http://a/"><outline xmlUrl="https://b/" category="/de,/x/en"/></outline></body></opml>`))
	f.Fuzz(func(t *testing.T, data []byte) {
		feeds, err := Parse(bytes.NewReader(data))
		if err != nil {
			return
		}
		for _, fd := range feeds {
			if !isHTTP(fd.XMLURL) || fd.Language != "" && len(fd.Language) != 2 {
				t.Fatalf("bad feed %+v", fd)
			}
		}
	})
}
