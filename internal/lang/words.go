package lang

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Words splits text into lower-cased words: maximal runs of letters, digits
// and combining marks (a mark only inside a word). Everything else separates words, so "KI-Modell"
// gives "ki", "modell" and "3,5" gives "3", "5". Unlike an ASCII [a-z0-9]
// tokenizer it keeps umlauts, ß and every other script intact. Invalid UTF-8
// bytes separate words.
func Words(text string) []string {
	var out []string
	start := -1
	for i, r := range text {
		if isWordRune(r) {
			// A combining mark continues a word but never starts one.
			if start < 0 && !unicode.Is(unicode.Mn, r) {
				start = i
			}
			if start >= 0 {
				continue
			}
		}
		if start >= 0 {
			out = append(out, strings.ToLower(text[start:i]))
			start = -1
		}
	}
	if start >= 0 {
		out = append(out, strings.ToLower(text[start:]))
	}
	return out
}

func isWordRune(r rune) bool {
	if r == utf8.RuneError {
		return false
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)
}
