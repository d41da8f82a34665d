package extract

import (
	"strings"

	"golang.org/x/net/html"
)

// pageNodes are the elements the metadata readers and the content finder
// start from, collected in one walk over the parsed page. (One selector
// query each walked the whole tree six times per page, a tenth of the
// extractor's time beside parsing.)
type pageNodes struct {
	html, title, canonical, body *html.Node // the first of each, or nil
	h1, timeDatetime             *html.Node // the first <h1>, the first <time datetime>
	metas                        []*html.Node
	ldScripts                    []*html.Node // <script type="application/ld+json">
	// authors are the elements that name an author: rel="author",
	// itemprop="name" inside itemprop="author", class byline__name or
	// author-name.
	authors []*html.Node
}

// scanPage walks the document once, in document order.
func scanPage(root *html.Node) pageNodes {
	var pn pageNodes
	var walk func(n *html.Node, inAuthor bool)
	walk = func(n *html.Node, inAuthor bool) {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if c.Type != html.ElementNode {
				continue
			}
			// One pass over the attributes for the author markers.
			isAuthor, startsAuthor := false, false
			for _, a := range c.Attr {
				switch a.Key {
				case "rel":
					isAuthor = isAuthor || a.Val == "author"
				case "itemprop":
					isAuthor = isAuthor || (inAuthor && a.Val == "name")
					startsAuthor = startsAuthor || a.Val == "author"
				case "class":
					isAuthor = isAuthor || classHasNameToken(a.Val)
				}
			}
			if isAuthor {
				pn.authors = append(pn.authors, c)
			}
			// Compared by name, not atom, as the selectors they replace did.
			switch c.Data {
			case "meta":
				pn.metas = append(pn.metas, c)
			case "title":
				if pn.title == nil {
					pn.title = c
				}
			case "html":
				if pn.html == nil {
					pn.html = c
				}
			case "body":
				if pn.body == nil {
					pn.body = c
				}
			case "link":
				if pn.canonical == nil && hasAttrValue(c, "rel", "canonical") {
					pn.canonical = c
				}
			case "script":
				if hasAttrValue(c, "type", "application/ld+json") {
					pn.ldScripts = append(pn.ldScripts, c)
				}
			case "h1":
				if pn.h1 == nil {
					pn.h1 = c
				}
			case "time":
				if pn.timeDatetime == nil && hasAttr(c, "datetime") {
					pn.timeDatetime = c
				}
			}
			walk(c, inAuthor || startsAuthor)
		}
	}
	walk(root, false)
	return pn
}

// hasAttrValue reports whether n has an attribute key whose value is
// exactly val (the first such attribute counts, as in a CSS [key="val"]
// selector that looks at every one).
func hasAttrValue(n *html.Node, key, val string) bool {
	for _, a := range n.Attr {
		if a.Key == key && a.Val == val {
			return true
		}
	}
	return false
}

// classHasNameToken reports whether class holds the token byline__name or
// author-name; both end in "name", which is searched for once.
func classHasNameToken(class string) bool {
	for v, off := class, 0; ; {
		i := strings.Index(v, "name")
		if i < 0 {
			return false
		}
		end := off + i + len("name")
		if end == len(class) || isClassSep(class[end]) {
			for _, tok := range []string{"byline__name", "author-name"} {
				start := end - len(tok)
				if start >= 0 && class[start:end] == tok && (start == 0 || isClassSep(class[start-1])) {
					return true
				}
			}
		}
		v, off = v[i+1:], off+i+1
	}
}

// isClassSep reports whether c separates class tokens (the HTML
// standard's ASCII whitespace).
func isClassSep(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r'
}

// attrOf is n's attribute key, or "" and false when n is nil or lacks it.
func attrOf(n *html.Node, key string) (string, bool) {
	if n == nil {
		return "", false
	}
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val, true
		}
	}
	return "", false
}

// rawText is the text of n's descendant text nodes, concatenated as they
// are (goquery's Selection.Text).
func rawText(n *html.Node) string {
	if n == nil {
		return ""
	}
	if c := n.FirstChild; c != nil && c.NextSibling == nil && c.Type == html.TextNode {
		return c.Data
	}
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return b.String()
}
