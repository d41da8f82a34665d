package sample

import (
	"bytes"
	"strings"
	"testing"
)

func TestEncode(t *testing.T) {
	tests := []struct {
		in, charset string
		want        []byte
		wantErr     bool
	}{
		{"Größe", "utf-8", []byte("Größe"), false},
		{"Größe »ja«", "iso-8859-1", []byte{'G', 'r', 0xF6, 0xDF, 'e', ' ', 0xBB, 'j', 'a', 0xAB}, false},
		{"15 €", "iso-8859-1", nil, true},    // the euro sign is not in Latin-1
		{"„Zitat“", "iso-8859-1", nil, true}, // nor are German low-high quotes
		{"a – b", "iso-8859-1", nil, true},   // nor the en dash
		{"plain", "windows-1252", nil, true}, // unknown charsets are refused
	}
	for _, tt := range tests {
		got, err := encode([]byte(tt.in), tt.charset)
		if (err != nil) != tt.wantErr {
			t.Errorf("encode(%q, %s) error %v, want error %v", tt.in, tt.charset, err, tt.wantErr)
			continue
		}
		if !tt.wantErr && !bytes.Equal(got, tt.want) {
			t.Errorf("encode(%q, %s) = % x, want % x", tt.in, tt.charset, got, tt.want)
		}
	}
}

func TestParagraphs(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"", nil},
		{"one\nline\n\ntwo", []string{"one line", "two"}},
		{"\n\n  a  b \r\n\r\n\r\n c\n", []string{"a b", "c"}},
		{"x\n \ny", []string{"x", "y"}}, // a line of spaces separates too
	}
	for _, tt := range tests {
		if got := paragraphs(tt.in); strings.Join(got, "|") != strings.Join(tt.want, "|") {
			t.Errorf("paragraphs(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// FuzzParagraphs checks the invariants the Text of every article relies
// on: no empty paragraphs, no line breaks or stray spaces inside one, and
// no word lost or invented.
func FuzzParagraphs(f *testing.F) {
	for _, s := range []string{"", "a\n\nb", "a\nb\n\n\n c ", "\r\n\r\n", " \t\n\n\t"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		ps := paragraphs(s)
		for _, p := range ps {
			if p == "" || strings.ContainsAny(p, "\n\r\t") || strings.TrimSpace(p) != p || strings.Contains(p, "  ") {
				t.Fatalf("paragraphs(%q) yields %q", s, p)
			}
		}
		if got, want := strings.Fields(strings.Join(ps, " ")), strings.Fields(s); strings.Join(got, " ") != strings.Join(want, " ") {
			t.Fatalf("paragraphs(%q) changes the words: %q", s, ps)
		}
	})
}
