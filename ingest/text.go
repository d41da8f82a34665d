package ingest

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// maxHTMLInput bounds the markup htmlToText tokenizes.
const maxHTMLInput = 1 << 20

// htmlToText turns feed HTML (titles, descriptions) into one line of plain
// text: tags dropped, entities decoded, script and style skipped, control
// characters removed, whitespace collapsed, at most maxRunes runes. Feed
// text is untrusted; nothing of its markup survives. It makes one pass and
// stops tokenizing once maxRunes are written.
func htmlToText(s string, maxRunes int) string {
	if len(s) > maxHTMLInput {
		s = s[:maxHTMLInput]
	}
	if !strings.ContainsAny(s, "<&") {
		return clean(s, maxRunes)
	}
	w := textWriter{max: maxRunes}
	w.b.Grow(min(len(s), 4*maxRunes))
	z := html.NewTokenizer(strings.NewReader(s))
	skip := 0
	for !w.full {
		switch z.Next() {
		case html.ErrorToken:
			return w.String()
		case html.TextToken:
			if skip == 0 {
				w.write(z.Text())
			}
		case html.StartTagToken, html.SelfClosingTagToken:
			name, _ := z.TagName()
			switch atom.Lookup(name) {
			case atom.Script, atom.Style, atom.Noscript, atom.Template:
				skip++
			}
			w.space = true
		case html.EndTagToken:
			name, _ := z.TagName()
			switch atom.Lookup(name) {
			case atom.Script, atom.Style, atom.Noscript, atom.Template:
				if skip > 0 {
					skip--
				}
			}
			w.space = true
		}
	}
	return w.String()
}

// clean removes control and invalid characters, collapses whitespace and
// cuts to maxRunes at a word boundary where one is near.
func clean(s string, maxRunes int) string {
	w := textWriter{max: maxRunes}
	w.b.Grow(min(len(s), 4*maxRunes))
	w.write([]byte(s))
	return w.String()
}

// textWriter collects text as one line: runs of white space and control
// characters become one space (none at the ends), invalid UTF-8 is
// dropped, and after max runes it stops and marks the text cut.
type textWriter struct {
	b     strings.Builder
	max   int
	runes int
	space bool // a separator is due before the next rune
	full  bool // max reached and more text followed
}

func (w *textWriter) write(p []byte) {
	for i := 0; i < len(p) && !w.full; {
		r, size := rune(p[i]), 1
		if r >= utf8.RuneSelf {
			r, size = utf8.DecodeRune(p[i:])
		}
		i += size
		switch {
		case r == utf8.RuneError && size == 1:
			// Invalid bytes vanish without separating what they split.
		case unicode.IsSpace(r) || unicode.IsControl(r):
			w.space = true
		default:
			if w.runes == w.max {
				w.full = true
				break
			}
			if w.space && w.b.Len() > 0 {
				w.b.WriteByte(' ')
				w.runes++
				if w.runes == w.max {
					w.full = true
					break
				}
			}
			w.space = false
			w.b.WriteRune(r)
			w.runes++
		}
	}
}

// String returns the text; a cut text ends at a word boundary in its
// second half, if there is one, and with "…".
func (w *textWriter) String() string {
	s := w.b.String()
	if !w.full {
		return s
	}
	if i := strings.LastIndexByte(s, ' '); i > len(s)/2 {
		s = s[:i]
	}
	return strings.TrimRight(s, " ") + "…"
}
