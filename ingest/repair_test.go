package ingest

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"
)

// truncationBases are complete feeds that TestTruncatedAnywhere cuts at every
// byte. Their titles hold multi-byte characters, so cuts fall inside
// characters too, and their CDATA sections hold markup.
var truncationBases = []string{
	`<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Kanal</title><link>https://t.example/</link>
<item><title><![CDATA[Erste Meldung über Chips]]></title><link>https://t.example/1</link><description><![CDATA[<p>Größer <b>und</b> schneller.</p>]]></description></item>
<item><title>Zweite – mit Gedankenstrich</title><link>https://t.example/2</link></item>
<item><title><![CDATA[Dritte: 芯片出口]]></title><link>https://t.example/3</link><description><![CDATA[<p>Text</p>]]></description></item>
</channel></rss>`,
	`<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Atom</title><id>urn:x</id><updated>2026-12-01T00:00:00Z</updated>
<entry><title>Eins für alle</title><id>urn:1</id><link href="https://a.example/1"/><updated>2026-12-01T00:00:00Z</updated><content type="html"><![CDATA[<p>Ä</p>]]></content></entry>
<entry><title>Zwei ÜBER</title><id>urn:2</id><link href="https://a.example/2"/><updated>2026-12-01T00:00:00Z</updated></entry>
</feed>`,
	`<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/">
<channel rdf:about="https://r.example/"><title>RDF</title><link>https://r.example/</link></channel>
<item rdf:about="https://r.example/1"><title>Première</title><link>https://r.example/1</link></item>
<item rdf:about="https://r.example/2"><title>Zweite</title><link>https://r.example/2</link></item>
</rdf:RDF>`,
}

// TestTruncatedAnywhere cuts each feed at every byte and checks the
// promise of the repair layer: every item complete before the cut comes
// out, in order, with its title intact, and nothing else does.
func TestTruncatedAnywhere(t *testing.T) {
	for i, base := range truncationBases {
		full, err := ParseFeed([]byte(base), "", "https://feeds.example/f.xml")
		if err != nil {
			t.Fatalf("base %d: %v", i, err)
		}
		for cut := range len(base) {
			doc := base[:cut]
			complete := strings.Count(doc, "</item>") + strings.Count(doc, "</entry>")
			items, err := ParseFeed([]byte(doc), "", "https://feeds.example/f.xml")
			if err != nil {
				if complete > 0 {
					t.Fatalf("base %d cut at %d after %d complete items: %v", i, cut, complete, err)
				}
				continue
			}
			if len(items) != complete {
				t.Fatalf("base %d cut at %d: %d items, want the %d complete ones", i, cut, len(items), complete)
			}
			for j, it := range items {
				if it.Title != full[j].Title || it.Link != full[j].Link {
					t.Fatalf("base %d cut at %d: item %d is %q %q, want %q %q", i, cut, j, it.Title, it.Link, full[j].Title, full[j].Link)
				}
			}
		}
	}
}

// FuzzRepairXML feeds arbitrary bytes to the repair layer: it must not
// panic, must return valid UTF-8 whenever it reports a repair, and a
// document it closed must tokenize to the end with every element closed.
// Repairing its own output again finds nothing left to close.
func FuzzRepairXML(f *testing.F) {
	files, _ := filepath.Glob("testdata/parse/*.xml")
	for _, p := range files {
		if data, err := os.ReadFile(p); err == nil {
			f.Add(data)
		}
	}
	for _, b := range truncationBases {
		f.Add([]byte(b[:len(b)*2/3]))
	}
	f.Add([]byte("<rss><channel><item><title>x</title></item><item><title><![CDATA[</item>"))
	f.Add([]byte("<rss:rss xmlns:rss=\"u\"><rss:channel><rss:item>a</rss:item><rss:item>"))
	f.Add([]byte("<?xml version=\"1.0\" encoding=\"iso-8859-1\"?><rss><channel><item>\xe4</item><item>\x01"))
	f.Fuzz(func(t *testing.T, data []byte) {
		out, notes := repairXML(data)
		if len(notes) == 0 {
			return
		}
		if !utf8.Valid(out) {
			t.Fatalf("repairs %v left invalid UTF-8", notes)
		}
		closed := false
		for _, n := range notes {
			closed = closed || strings.Contains(n, "last complete item")
		}
		if !closed {
			return
		}
		if err := wellNested(out); err != nil {
			t.Fatalf("repairs %v: output not closed: %v\n%q", notes, err, out)
		}
		if _, note := closeAfterLastItem(out); note != "" {
			t.Fatalf("closing twice: %s", note)
		}
	})
}

// wellNested reports an element left open or a syntax error.
func wellNested(data []byte) error {
	stack, err := scanElements(data, nil)
	if !errors.Is(err, io.EOF) {
		return err
	}
	if len(stack) > 0 {
		return errors.New("unclosed " + stack[len(stack)-1].Local)
	}
	return nil
}
