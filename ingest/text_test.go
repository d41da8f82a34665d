package ingest

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

// cleanReference is the plain multi-pass statement of what clean does;
// clean itself does it in one pass (it is on the feed-parsing hot path).
func cleanReference(s string, maxRunes int) string {
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
	cut := string([]rune(s)[:maxRunes])
	if i := strings.LastIndexByte(cut, ' '); i > len(cut)/2 {
		cut = cut[:i]
	}
	return strings.TrimRight(cut, " ") + "…"
}

func FuzzCleanMatchesReference(f *testing.F) {
	f.Add("one two three four five six", 12)
	f.Add("a\x00b\x1fc \xff d\u00a0e\u2028f", 5)
	f.Add("  lead  and trail  ", 3)
	f.Fuzz(func(t *testing.T, s string, max int) {
		if max < 1 || max > 1000 {
			return
		}
		if got, want := clean(s, max), cleanReference(s, max); got != want {
			t.Fatalf("clean(%q, %d) = %q, reference %q", s, max, got, want)
		}
	})
}
