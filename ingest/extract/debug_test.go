package extract

import (
	"bytes"
	"compress/gzip"
	"flag"
	"fmt"
	"github.com/PuerkitoBio/goquery"
	"golang.org/x/net/html"
	"io"
	"net/url"
	"os"
	"strings"
	"testing"
)

var debugPage = flag.String("page", "", "extract one page (.html or .html.gz) and print the result")
var debugURL = flag.String("page-url", "", "URL of -page")

// TestDebugPage prints what Extract returns for one page; a tool for
// looking at failures, it skips without -page.
func TestDebugPage(t *testing.T) {
	if *debugPage == "" {
		t.Skip("pass -page file.html[.gz]")
	}
	f, err := os.Open(*debugPage)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var r io.Reader = f
	if len(*debugPage) > 3 && (*debugPage)[len(*debugPage)-3:] == ".gz" {
		if r, err = gzip.NewReader(f); err != nil {
			t.Fatal(err)
		}
	}
	raw, err := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	var u *url.URL
	if *debugURL != "" {
		u, _ = url.Parse(*debugURL)
	}
	ex, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	res, err := ex.Extract(raw, u, "")
	if err != nil {
		t.Fatalf("extract: %v", err)
	}
	fmt.Printf("title: %s\nmethod: %s charset: %s lang: %s authors: %q\npublished: %v modified: %v\ncanonical: %s site: %s image: %s paywalled: %v truncated: %v\n---\n%s\n", res.Title, res.Method, res.Charset, res.Language, res.Authors, res.Published, res.Modified, res.CanonicalURL, res.SiteName, res.Image, res.Paywalled, res.Truncated, res.Text)
}

func TestDebugRoot(t *testing.T) {
	if *debugPage == "" {
		t.Skip("pass -page file.html[.gz]")
	}
	bn := debugBody(t)
	c := &cleaner{}
	c.clean(bn)
	root, cards := findRoot(bn)
	if root == nil {
		t.Fatal("no root")
	}
	fmt.Printf("root <%s class=%q id=%q> text=%d\n", root.Data, attr(root, "class"), attr(root, "id"), textLen(root))
	for _, b := range collectBlocks(root, cards) {
		fmt.Printf("[%s link=%d] %.100s\n", b.kind, b.link, b.text)
	}
}

var debugFind = flag.String("find", "", "with -page: report which ancestor of this text the cleaner drops")

func TestDebugDrop(t *testing.T) {
	if *debugPage == "" || *debugFind == "" {
		t.Skip("pass -page and -find")
	}
	bn := debugBody(t)
	stripNonText(bn)
	c := &cleaner{bodyText: textLen(bn)}
	var target *html.Node
	var find func(*html.Node)
	find = func(n *html.Node) {
		if target == nil && n.Type == html.TextNode && strings.Contains(n.Data, *debugFind) {
			target = n
		}
		for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
			find(ch)
		}
	}
	find(bn)
	if target == nil {
		t.Fatal("text not found")
	}
	for a := target.Parent; a != nil && a.Type == html.ElementNode; a = a.Parent {
		fmt.Printf("<%s class=%q id=%q> drop=%v text=%d/%d\n", a.Data, attr(a, "class"), attr(a, "id"), c.drop(a), textLen(a), c.bodyText)
	}
}

// TestDebugChain prints the scorer's numbers for the ancestors of -find.
func TestDebugChain(t *testing.T) {
	if *debugPage == "" || *debugFind == "" {
		t.Skip("pass -page and -find")
	}
	bn := debugBody(t)
	(&cleaner{}).clean(bn)
	root, _ := findRoot(bn)
	var target *html.Node
	var find func(*html.Node)
	find = func(n *html.Node) {
		if target == nil && n.Type == html.TextNode && strings.Contains(n.Data, *debugFind) {
			target = n
		}
		for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
			find(ch)
		}
	}
	find(bn)
	if target == nil {
		t.Fatal("text not found")
	}
	for a := target.Parent; a != nil && a.Type == html.ElementNode; a = a.Parent {
		s := &scorer{bestScore: -1, cards: map[*html.Node]bool{}}
		st := s.visit(a, 0, false)
		fmt.Printf("<%s class=%q> root=%v good=%d text=%d link=%d score=%.0f\n", a.Data, attr(a, "class"), a == root, st.good, st.text, st.link, float64(st.good)-badWeight*float64(st.text-st.good))
	}
}

// debugBody reads -page, decodes it and returns its parsed <body>.
func debugBody(t *testing.T) *html.Node {
	t.Helper()
	raw, err := os.ReadFile(*debugPage)
	if err != nil {
		t.Fatal(err)
	}
	if strings.HasSuffix(*debugPage, ".gz") {
		zr, err := gzip.NewReader(bytes.NewReader(raw))
		if err != nil {
			t.Fatal(err)
		}
		if raw, err = io.ReadAll(zr); err != nil {
			t.Fatal(err)
		}
	}
	text, _ := decode(raw, "")
	doc, err := goquery.NewDocumentFromReader(bytes.NewReader(text))
	if err != nil {
		t.Fatal(err)
	}
	body := doc.Find("body")
	if body.Length() == 0 {
		t.Fatal("page has no body")
	}
	return body.Get(0)
}
