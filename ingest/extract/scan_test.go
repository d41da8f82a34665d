package extract

import (
	"testing"

	"golang.org/x/net/html"
)

func TestHasClass(t *testing.T) {
	for _, tc := range []struct {
		class string
		want  bool
	}{
		{"author-name", true},
		{"x author-name", true},
		{"author-name\ty", true},
		{"author-names", false},
		{"the-author-name", false},
		{"the-author-name author-name", true},
		{"", false},
	} {
		n := &html.Node{Type: html.ElementNode, Data: "span", Attr: []html.Attribute{{Key: "class", Val: tc.class}}}
		if got := hasClass(n, "author-name"); got != tc.want {
			t.Errorf("hasClass(%q) = %v, want %v", tc.class, got, tc.want)
		}
	}
}
