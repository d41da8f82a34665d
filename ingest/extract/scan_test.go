package extract

import (
	"strings"
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

func TestClassHasNameToken(t *testing.T) {
	for _, class := range []string{"", "name", "author-name", "x byline__name", "author-names", "the-author-name", "a\tauthor-name b", "username author-name"} {
		n := &html.Node{Type: html.ElementNode, Data: "span", Attr: []html.Attribute{{Key: "class", Val: class}}}
		if got, want := classHasNameToken(class), hasClass(n, "byline__name") || hasClass(n, "author-name"); got != want {
			t.Errorf("classHasNameToken(%q) = %v, want %v", class, got, want)
		}
	}
}

// hasClass, the plain definition classHasNameToken is checked against.
func hasClass(n *html.Node, name string) bool {
	for _, a := range n.Attr {
		if a.Key != "class" {
			continue
		}
		for v := a.Val; ; {
			i := strings.Index(v, name)
			if i < 0 {
				break
			}
			end := i + len(name)
			if (i == 0 || isClassSep(v[i-1])) && (end == len(v) || isClassSep(v[end])) {
				return true
			}
			v = v[i+1:]
		}
	}
	return false
}
