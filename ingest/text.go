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
// text is untrusted; nothing of its markup survives.
func htmlToText(s string, maxRunes int) string {
	if len(s) > maxHTMLInput {
		s = s[:maxHTMLInput]
	}
	if !strings.ContainsAny(s, "<&") {
		return clean(s, maxRunes)
	}
	var b strings.Builder
	z := html.NewTokenizer(strings.NewReader(s))
	skip := 0
	for {
		switch z.Next() {
		case html.ErrorToken:
			return clean(b.String(), maxRunes)
		case html.TextToken:
			if skip == 0 {
				b.Write(z.Text())
			}
		case html.StartTagToken, html.SelfClosingTagToken:
			name, _ := z.TagName()
			switch atom.Lookup(name) {
			case atom.Script, atom.Style, atom.Noscript, atom.Template:
				skip++
			}
			b.WriteByte(' ')
		case html.EndTagToken:
			name, _ := z.TagName()
			switch atom.Lookup(name) {
			case atom.Script, atom.Style, atom.Noscript, atom.Template:
				if skip > 0 {
					skip--
				}
			}
			b.WriteByte(' ')
		}
	}
}

// clean removes control and invalid characters, collapses whitespace and
// cuts to maxRunes at a word boundary where one is near.
func clean(s string, maxRunes int) string {
	s = strings.ToValidUTF8(s, "")
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return ' '
		}
		return r
	}, s)
	s = strings.Join(strings.Fields(s), " ")
	if utf8.RuneCountInString(s) <= maxRunes {
		return s
	}
	r := []rune(s)[:maxRunes]
	cut := string(r)
	if i := strings.LastIndexByte(cut, ' '); i > len(cut)/2 {
		cut = cut[:i]
	}
	return cut + "…"
}
