package clip

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestClip(t *testing.T) {
	tests := []struct {
		fn   string
		in   string
		n    int
		want string
	}{
		{"Bytes", "kurz", 10, "kurz"},
		{"Bytes", "kurz", 4, "kurz"},
		{"Bytes", "abcdef", 3, "abc"},
		{"Bytes", "äöü", 3, "ä"}, // byte 3 is inside ö: back off to its start
		{"Bytes", "äöü", 4, "äö"},
		{"Bytes", "€uro", 2, ""}, // no whole character fits
		{"Bytes", "abc", 0, ""},
		{"Bytes", "abc", -1, ""},
		{"Bytes", "", 5, ""},
		{"Runes", "kurz", 10, "kurz"},
		{"Runes", "kurz", 4, "kurz"},
		{"Runes", "kürzer", 4, "kür…"},
		{"Runes", "äöü", 2, "ä…"},
		{"Runes", "ab", 1, "…"},
		{"Runes", "a", 1, "a"},
		{"Runes", "abc", 0, ""},
		{"Runes", "", 3, ""},
	}
	fns := map[string]func(string, int) string{"Bytes": Bytes, "Runes": Runes}
	for _, tt := range tests {
		if got := fns[tt.fn](tt.in, tt.n); got != tt.want {
			t.Errorf("%s(%q, %d) = %q, want %q", tt.fn, tt.in, tt.n, got, tt.want)
		}
	}
}

func FuzzClip(f *testing.F) {
	for _, s := range []string{"", "abc", "äöü€", "a\xffb", strings.Repeat("ß", 40)} {
		f.Add(s, 3)
	}
	f.Fuzz(func(t *testing.T, s string, n int) {
		n %= 64
		b := Bytes(s, n)
		if len(b) > max(n, 0) || !strings.HasPrefix(s, b) {
			t.Fatalf("Bytes(%q, %d) = %q", s, n, b)
		}
		if utf8.ValidString(s) && !utf8.ValidString(b) {
			t.Fatalf("Bytes(%q, %d) = %q cuts a character", s, n, b)
		}
		r := Runes(s, n)
		if utf8.RuneCountInString(r) > max(n, 0) {
			t.Fatalf("Runes(%q, %d) = %q has more than %d characters", s, n, r, n)
		}
		if r != s && n > 0 && (!strings.HasSuffix(r, Ellipsis) || !strings.HasPrefix(s, strings.TrimSuffix(r, Ellipsis))) {
			t.Fatalf("Runes(%q, %d) = %q", s, n, r)
		}
		if utf8.ValidString(s) && !utf8.ValidString(r) {
			t.Fatalf("Runes(%q, %d) = %q cuts a character", s, n, r)
		}
	})
}
