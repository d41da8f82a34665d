package ingest

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/html/charset"
)

// Repairs for feeds gofeed rejects. Each one is a well-known way feeds are
// broken in the wild; none guesses at content. They run only after a plain
// parse failed (or, for namespaces, lost items), so a valid feed is never
// rewritten.

var (
	// rootStart finds the first plausible feed root element.
	rootStart = regexp.MustCompile(`<(?:rss[\s>]|feed[\s>]|rdf:RDF[\s>]|RDF[\s>])`)
	// charRef matches numeric character references.
	charRef = regexp.MustCompile(`&#(?:[xX]([0-9a-fA-F]{1,8})|([0-9]{1,10}));`)
	// defaultNS finds a default namespace declaration (not xmlns:prefix)
	// on the start tag of a core RSS or Atom element.
	defaultNS = regexp.MustCompile(`(<(?:rss|channel|item|feed|entry)\b[^<>]*?)\s+xmlns\s*=\s*(?:"[^"]*"|'[^']*')`)
)

// repairXML returns a repaired copy of data and what it did; no notes
// means there was nothing it knew how to fix.
func repairXML(data []byte) ([]byte, []string) {
	var notes []string
	trimmed := bytes.TrimLeft(data, " \t\r\n")
	if len(trimmed) == 0 || trimmed[0] == '{' {
		return data, nil // JSON: nothing to repair
	}
	// Work on UTF-8 from here on, so that replacing invalid bytes below
	// cannot eat the letters of a document declared (truly) as Latin-1.
	if label := declaredCharset(data); label != "" && label != "utf-8" && label != "utf8" {
		if enc, _ := charset.Lookup(label); enc != nil {
			data = setDecl(decodeTo8(data, enc), "utf-8")
		}
	}
	// Leading junk, or a feed wrapped in another document (Atom inside
	// XHTML): start at the feed's root element.
	if loc := rootStart.FindIndex(data); loc != nil {
		prefix := data[:loc[0]]
		if !onlyProlog(prefix) {
			data = data[loc[0]:]
			notes = append(notes, "skipped content before the feed root")
			if bytes.HasPrefix(data, []byte("<feed")) {
				if end := bytes.LastIndex(data, []byte("</feed>")); end >= 0 {
					data = data[:end+len("</feed>")]
				}
			}
		}
	}
	// Control characters are not allowed in XML 1.0, raw or as references.
	if cleaned, n := stripControl(data); n > 0 {
		data = cleaned
		notes = append(notes, "removed "+strconv.Itoa(n)+" control characters")
	}
	if cleaned, n := dropBadCharRefs(data); n > 0 {
		data = cleaned
		notes = append(notes, "removed "+strconv.Itoa(n)+" references to invalid characters")
	}
	if !utf8.Valid(data) {
		data = bytes.ToValidUTF8(data, []byte("\uFFFD"))
		notes = append(notes, "replaced invalid UTF-8")
	}
	// A truncated download, or a document broken beyond what the XML
	// decoder tolerates: keep the complete items before the break.
	if closed, note := closeAfterLastItem(data); note != "" {
		data = closed
		notes = append(notes, note)
	}
	return data, notes
}

// declaredCharset is the lower-cased encoding of the XML declaration, ""
// if there is none.
func declaredCharset(data []byte) string {
	head := data[:min(len(data), 1024)]
	m := xmlDecl.FindSubmatchIndex(head)
	if m == nil {
		return ""
	}
	return strings.ToLower(strings.TrimSpace(string(head[m[2]:m[3]])))
}

// onlyProlog reports whether b holds nothing but an XML declaration,
// processing instructions, comments, a doctype and whitespace.
func onlyProlog(b []byte) bool {
	for {
		b = bytes.TrimLeft(b, " \t\r\n\xef\xbb\xbf")
		if len(b) == 0 {
			return true
		}
		var end []byte
		switch {
		case bytes.HasPrefix(b, []byte("<?")):
			end = []byte("?>")
		case bytes.HasPrefix(b, []byte("<!--")):
			end = []byte("-->")
		case bytes.HasPrefix(b, []byte("<!DOCTYPE")), bytes.HasPrefix(b, []byte("<!doctype")):
			end = []byte(">")
		default:
			return false
		}
		i := bytes.Index(b, end)
		if i < 0 {
			return false
		}
		b = b[i+len(end):]
	}
}

func stripControl(data []byte) ([]byte, int) {
	n := 0
	for _, c := range data {
		if c < 0x20 && c != '\t' && c != '\n' && c != '\r' {
			n++
		}
	}
	if n == 0 {
		return data, 0
	}
	out := make([]byte, 0, len(data)-n)
	for _, c := range data {
		if c >= 0x20 || c == '\t' || c == '\n' || c == '\r' {
			out = append(out, c)
		}
	}
	return out, n
}

func dropBadCharRefs(data []byte) ([]byte, int) {
	n := 0
	out := charRef.ReplaceAllFunc(data, func(m []byte) []byte {
		sub := charRef.FindSubmatch(m)
		var v uint64
		var err error
		if len(sub[1]) > 0 {
			v, err = strconv.ParseUint(string(sub[1]), 16, 32)
		} else {
			v, err = strconv.ParseUint(string(sub[2]), 10, 32)
		}
		if err != nil || !xmlChar(rune(v)) {
			n++
			return nil
		}
		return m
	})
	return out, n
}

// xmlChar is the Char production of XML 1.0.
func xmlChar(r rune) bool {
	return r == 0x9 || r == 0xA || r == 0xD ||
		r >= 0x20 && r <= 0xD7FF || r >= 0xE000 && r <= 0xFFFD || r >= 0x10000 && r <= 0x10FFFF
}

// closeAfterLastItem handles a document that ends before its root element
// closes (a truncated download, cut anywhere: inside a tag, an attribute,
// a CDATA section, a character) or breaks off in a syntax error. It walks
// the document with the XML tokenizer, which knows where CDATA sections
// and comments end, so an "</item>" inside one does not count; it cuts
// after the last complete item or entry and closes the elements still
// open there (channel, rss, rdf:RDF, feed, under whatever prefix). It
// returns a note when it changed something; no complete item, no change.
func closeAfterLastItem(data []byte) ([]byte, string) {
	cut := -1
	var closers []xml.Name
	stack, err := scanElements(data, func(end xml.Name, open []xml.Name, offset int) {
		if l := strings.ToLower(end.Local); l == "item" || l == "entry" {
			cut = offset
			closers = append(closers[:0], open...)
		}
	})
	complete := errors.Is(err, io.EOF) && len(stack) == 0
	if complete || cut < 0 {
		return data, ""
	}
	out := make([]byte, 0, cut+64)
	out = append(out, data[:cut]...)
	for i := len(closers) - 1; i >= 0; i-- {
		out = append(out, "</"...)
		if closers[i].Space != "" {
			out = append(out, closers[i].Space...)
			out = append(out, ':')
		}
		out = append(out, closers[i].Local...)
		out = append(out, '>')
	}
	var se *xml.SyntaxError
	if errors.As(err, &se) && se.Msg != "unexpected EOF" {
		return out, "cut the document after its last complete item, before a syntax error on line " + strconv.Itoa(se.Line) + " (" + se.Msg + ")"
	}
	return out, "closed a truncated document after its last complete item"
}

// scanElements walks data with the XML tokenizer in its lenient mode (the
// bytes are UTF-8, whatever they declare) and calls onEnd after each end
// tag with the elements still open and the offset just past the tag. An
// end tag closes back to its start tag, so unclosed HTML inside an item (a
// bare <br>) does not leave the item open. It returns the elements open
// where it stopped and why it stopped (io.EOF at the end).
func scanElements(data []byte, onEnd func(end xml.Name, open []xml.Name, offset int)) ([]xml.Name, error) {
	d := xml.NewDecoder(bytes.NewReader(data))
	d.Strict = false
	d.CharsetReader = func(_ string, r io.Reader) (io.Reader, error) { return r, nil }
	var stack []xml.Name
	for {
		tok, err := d.RawToken()
		if err != nil {
			return stack, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			stack = append(stack, t.Name)
		case xml.EndElement:
			for i := len(stack) - 1; i >= 0; i-- {
				if stack[i] == t.Name {
					stack = stack[:i]
					break
				}
			}
			if onEnd != nil {
				onEnd(t.Name, stack, int(d.InputOffset()))
			}
		}
	}
}

// itemTags counts the <item> and <entry> start tags in data: what a
// parser should find at most, to notice items it lost.
func itemTags(data []byte) int {
	n := 0
	for _, tag := range []string{"<item", "<entry"} {
		rest := data
		for {
			i := bytes.Index(rest, []byte(tag))
			if i < 0 {
				break
			}
			rest = rest[i+len(tag):]
			if len(rest) > 0 && (rest[0] == '>' || rest[0] == '/' || rest[0] == ' ' || rest[0] == '\t' || rest[0] == '\n' || rest[0] == '\r') {
				n++
			}
		}
	}
	return n
}

// dropDefaultNamespaces removes default namespace declarations from the
// core RSS and Atom elements. A feed that puts <rss>, <channel> or <item>
// in a namespace (often the Atom one, meant for an atom: prefix) makes
// every core element an extension to gofeed, which then finds no items;
// RSS elements have no namespace, so dropping the declaration only undoes
// the mistake.
func dropDefaultNamespaces(data []byte) ([]byte, bool) {
	if !defaultNS.Match(data) {
		return data, false
	}
	return defaultNS.ReplaceAll(data, []byte("$1")), true
}
