package render

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// CleanText makes one untrusted string fit for display: invalid UTF-8 is
// replaced, control and format characters (including CR/LF, bidi overrides
// and zero-width characters) become spaces or vanish, runs of whitespace
// collapse to one space, and the result is cut to max runes (0 = no cap) at
// a word boundary with an ellipsis.
func CleanText(s string, max int) string {
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range strings.ToValidUTF8(s, "\uFFFD") {
		switch {
		case unicode.IsSpace(r) || unicode.IsControl(r):
			space = b.Len() > 0
			continue
		case unicode.In(r, unicode.Cf):
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteRune(r)
	}
	out := b.String()
	if max > 0 && utf8.RuneCountInString(out) > max {
		rs := []rune(out)[:max]
		cut := string(rs)
		if i := strings.LastIndexByte(cut, ' '); i > len(cut)/2 {
			cut = cut[:i]
		}
		out = strings.TrimRight(cut, " ,;:.") + "…"
	}
	return out
}

// Paragraphs splits an untrusted multi-paragraph text on blank lines and
// cleans each paragraph; empty paragraphs are dropped.
func Paragraphs(s string, max int) []string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	var out []string
	for _, p := range strings.Split(s, "\n\n") {
		if c := CleanText(p, max); c != "" {
			out = append(out, c)
		}
	}
	return out
}
