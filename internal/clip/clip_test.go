package clip

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestBytes(t *testing.T) {
	tests := []struct {
		in   string
		n    int
		want string
	}{
		{"kurz", 10, "kurz"},
		{"kurz", 4, "kurz"},
		{"abcdef", 3, "abc"},
		{"äöü", 3, "ä"}, // byte 3 is inside ö: back off to its start
		{"äöü", 4, "äö"},
		{"€uro", 2, ""}, // no whole character fits
		{"abc", 0, ""},
		{"abc", -1, ""},
		{"", 5, ""},
	}
	for _, tt := range tests {
		if got := Bytes(tt.in, tt.n); got != tt.want {
			t.Errorf("Bytes(%q, %d) = %q, want %q", tt.in, tt.n, got, tt.want)
		}
	}
}

func TestRunes(t *testing.T) {
	tests := []struct {
		in   string
		n    int
		want string
	}{
		{"kurz", 10, "kurz"},
		{"kurz", 4, "kurz"},
		{"kürzer", 4, "kür…"},
		{"äöü", 2, "ä…"},
		{"ab", 1, "…"},
		{"a", 1, "a"},
		{"abc", 0, ""},
		{"", 3, ""},
	}
	for _, tt := range tests {
		if got := Runes(tt.in, tt.n); got != tt.want {
			t.Errorf("Runes(%q, %d) = %q, want %q", tt.in, tt.n, got, tt.want)
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
