package extract

import (
	"net/url"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// block is one paragraph of output: a heading, a paragraph, a list item, a
// quote or preformatted text, with the inline nodes that make it up.
type block struct {
	kind  atom.Atom // P, H2…H6, Li, Blockquote, Pre
	nodes []*html.Node
	text  string
	link  int // bytes of link text
	list  *html.Node
	lead  bool // a standfirst put back from outside the root (lead.go)
}

// collectBlocks walks root and returns its paragraphs in document order,
// skipping link lists.
func collectBlocks(root *html.Node, skip map[*html.Node]bool) []block {
	w := &blockWalker{skip: skip}
	w.walk(root, atom.P, nil, 0, false)
	w.flush(atom.P, nil, false)
	return w.out
}

type blockWalker struct {
	skip map[*html.Node]bool
	out  []block
	run  []*html.Node
}

func (w *blockWalker) flush(kind atom.Atom, list *html.Node, inLink bool) {
	if len(w.run) == 0 {
		return
	}
	nodes := w.run
	w.run = nil
	w.emit(kind, nodes, list, inLink)
}

func (w *blockWalker) emit(kind atom.Atom, nodes []*html.Node, list *html.Node, inLink bool) {
	var b strings.Builder
	link := 0
	for _, n := range nodes {
		link += inlineText(&b, n, false)
	}
	text := cleanLines(b.String())
	if text == "" {
		return
	}
	if inLink {
		link = len(text)
	}
	if k := len(w.out) - 1; k >= 0 && isDropCap(w.out[k].text) && startsLower(text) {
		// A drop cap set apart from its paragraph ("<span>T</span><p>urkey,
		// Poland …"): the letter is the paragraph's first.
		prev := w.out[k]
		w.out[k] = block{kind: kind, nodes: append(prev.nodes, nodes...), text: prev.text + text, link: link, list: list}
		return
	}
	w.out = append(w.out, block{kind: kind, nodes: nodes, text: text, link: link, list: list})
}

// isDropCap reports whether a block's text is one upper-case letter, as a
// drop cap rendered apart from its paragraph is.
func isDropCap(text string) bool {
	r, size := utf8.DecodeRuneInString(text)
	return size == len(text) && unicode.IsUpper(r)
}

func startsLower(text string) bool {
	r, _ := utf8.DecodeRuneInString(text)
	return unicode.IsLower(r)
}

func (w *blockWalker) walk(n *html.Node, kind atom.Atom, list *html.Node, depth int, inLink bool) {
	if depth > maxDepth {
		return
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.TextNode || (c.Type == html.ElementNode && !isBlock(c) && !hasBlockDescendant(c)) {
			w.run = append(w.run, c)
			continue
		}
		if c.Type != html.ElementNode {
			continue
		}
		w.flush(kind, list, inLink)
		if w.skip[c] {
			continue
		}
		ck, cl := kind, list
		switch c.DataAtom {
		case atom.Ul, atom.Ol, atom.Dl:
			if isLinkList(c) {
				continue
			}
			cl = c
		case atom.Li, atom.Dd, atom.Dt:
			ck = atom.Li
		case atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6:
			ck = c.DataAtom
		case atom.Blockquote:
			ck = atom.Blockquote
		case atom.Pre:
			ck = atom.Pre
		case atom.Hr:
			continue
		case atom.Table:
			cl = nil
		}
		if ck == atom.Li && cl == nil {
			ck = atom.P
		}
		if !hasBlockDescendant(c) {
			nodes := make([]*html.Node, 0, 4)
			for g := c.FirstChild; g != nil; g = g.NextSibling {
				nodes = append(nodes, g)
			}
			w.emit(ck, nodes, cl, inLink || c.DataAtom == atom.A)
			continue
		}
		w.walk(c, ck, cl, depth+1, inLink || c.DataAtom == atom.A)
		w.flush(ck, cl, inLink)
	}
}

// isLinkList reports whether a list is mostly links (navigation, related
// articles, tag clouds).
func isLinkList(n *html.Node) bool {
	t := textLen(n)
	if t == 0 {
		return true
	}
	return float64(linkLen(n)) > 0.5*float64(t)
}

func linkLen(n *html.Node) int {
	if n.Type == html.ElementNode && n.DataAtom == atom.A {
		return textLen(n)
	}
	l := 0
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		l += linkLen(c)
	}
	return l
}

// inlineText appends the text of n to b, turning <br> into a newline, and
// returns how many bytes of it were link text.
func inlineText(b *strings.Builder, n *html.Node, inLink bool) int {
	switch n.Type {
	case html.TextNode:
		b.WriteString(n.Data)
		if inLink {
			return trimmedLen(n.Data)
		}
		return 0
	case html.ElementNode:
	default:
		return 0
	}
	if n.DataAtom == atom.Br {
		b.WriteByte('\n')
		return 0
	}
	if isBlock(n) {
		b.WriteByte('\n')
	}
	if n.DataAtom == atom.A {
		inLink = true
	}
	l := 0
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		l += inlineText(b, c, inLink)
	}
	if isBlock(n) {
		b.WriteByte('\n')
	}
	return l
}

// cleanLines collapses whitespace within each line and drops empty lines.
func cleanLines(s string) string {
	if !strings.Contains(s, "\n") {
		return collapse(s)
	}
	lines := strings.Split(s, "\n")
	out := lines[:0]
	for _, l := range lines {
		if l = collapse(l); l != "" {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

// blocksHTML renders blocks as simple HTML (p, h2–h6, ul/li, blockquote,
// pre) keeping inline markup; the result still goes through the sanitizer.
func blocksHTML(blocks []block, base *url.URL) string {
	var b strings.Builder
	var openList *html.Node
	for _, bl := range blocks {
		if bl.kind == atom.Li && bl.list != openList {
			if openList != nil {
				b.WriteString("</ul>\n")
			}
			b.WriteString("<ul>")
			openList = bl.list
		} else if bl.kind != atom.Li && openList != nil {
			b.WriteString("</ul>\n")
			openList = nil
		}
		tag := bl.kind.String()
		if bl.kind == atom.H1 {
			tag = "h2"
		}
		b.WriteString("<" + tag + ">")
		for _, n := range bl.nodes {
			resolveLinks(n, base)
			_ = html.Render(&b, n)
		}
		b.WriteString("</" + tag + ">\n")
	}
	if openList != nil {
		b.WriteString("</ul>\n")
	}
	return b.String()
}

func resolveLinks(n *html.Node, base *url.URL) {
	if base == nil || n.Type != html.ElementNode {
		return
	}
	if n.DataAtom == atom.A {
		for i, a := range n.Attr {
			if a.Key == "href" {
				if u, err := base.Parse(strings.TrimSpace(a.Val)); err == nil {
					n.Attr[i].Val = u.String()
				}
			}
		}
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		resolveLinks(c, base)
	}
}
