package ingest

import (
	"bytes"
	"regexp"
	"strconv"
	"unicode/utf8"
)

// Repairs for feeds gofeed rejects. Each one is a well-known way feeds are
// broken in the wild; none guesses at content. They run only after a plain
// parse failed, so a valid feed is never rewritten.

var (
	// rootStart finds the first plausible feed root element.
	rootStart = regexp.MustCompile(`<(?:rss[\s>]|feed[\s>]|rdf:RDF[\s>]|RDF[\s>])`)
	// charRef matches numeric character references.
	charRef = regexp.MustCompile(`&#(?:[xX]([0-9a-fA-F]{1,8})|([0-9]{1,10}));`)
)

// repairXML returns a repaired copy of data and what it did; no notes
// means there was nothing it knew how to fix.
func repairXML(data []byte) ([]byte, []string) {
	var notes []string
	trimmed := bytes.TrimLeft(data, " \t\r\n")
	if len(trimmed) == 0 || trimmed[0] == '{' {
		return data, nil // JSON: nothing to repair
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
	// A truncated download: keep the complete items and close the document.
	if closed, ok := closeTruncated(data); ok {
		data = closed
		notes = append(notes, "closed a truncated document after its last complete item")
	}
	return data, notes
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

// closeTruncated cuts a document that lacks its closing root tag after the
// last complete item or entry and appends the closing tags.
func closeTruncated(data []byte) ([]byte, bool) {
	tail := bytes.TrimRight(data, " \t\r\n")
	for _, end := range []string{"</rss>", "</feed>", "</rdf:RDF>", "</RDF>"} {
		if bytes.HasSuffix(tail, []byte(end)) {
			return data, false
		}
	}
	closers := map[string]string{
		"</item>":  "",
		"</entry>": "</feed>",
	}
	cut, closer := -1, ""
	for tag, c := range closers {
		if i := bytes.LastIndex(data, []byte(tag)); i > cut {
			cut, closer = i+len(tag), c
		}
	}
	if cut < 0 {
		return data, false
	}
	if closer == "" { // RSS: which dialect?
		switch {
		case bytes.Contains(data[:min(len(data), 4096)], []byte("<rdf:RDF")):
			closer = "</rdf:RDF>" // RSS 1.0 items are siblings of the channel
		default:
			closer = "</channel></rss>"
		}
	}
	out := make([]byte, 0, cut+len(closer))
	out = append(out, data[:cut]...)
	out = append(out, closer...)
	return out, true
}
