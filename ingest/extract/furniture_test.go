package extract

import (
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestPageFurniture: pieces of a page that are not the story but sit
// where the extractor looks for it, in both languages. A drop cap set
// apart from its paragraph goes back onto it; login, password and
// registration dialogs and live notices ("Bewertung entfernt") stay out.
func TestPageFurniture(t *testing.T) {
	tests := []struct {
		file    string
		prefix  string   // the text starts with this
		without []string // and holds none of these
	}{
		{"dropcap_en.html", "Ferry services between", []string{"\nerry", "F\n"}},
		{"dropcap_de.html", "Die Fähren zwischen", []string{"\nie Fähren", "D\n"}},
		{"modal_en.html", "Ferry services between", []string{"Rating removed", "Saved to your list", "reset your password", "confirm the link", "Sign in with"}},
		{"modal_de.html", "Die Fähren zwischen", []string{"Bewertung entfernt", "Gemerkt", "Passwort zurücksetzen", "bestätige den Link", "Melde dich"}},
	}
	x, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			raw, err := os.ReadFile(filepath.Join("testdata", tt.file))
			if err != nil {
				t.Fatal(err)
			}
			u, _ := url.Parse("https://news.example/" + tt.file)
			res, err := x.Extract(raw, u, "text/html")
			if err != nil {
				t.Fatal(err)
			}
			if !strings.HasPrefix(res.Text, tt.prefix) {
				t.Errorf("text starts %q, want %q", firstN(res.Text, 60), tt.prefix)
			}
			for _, w := range tt.without {
				if strings.Contains(res.Text, w) {
					t.Errorf("text holds %q:\n%s", w, res.Text)
				}
			}
		})
	}
}

func firstN(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n]
}
