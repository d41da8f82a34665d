package extract

import (
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// The generic scorer finds the element that best contains the article.
//
// Every paragraph-like run of text (a block element without block children,
// or inline text between blocks) is "good" when it is long enough and mostly
// not link text. An element scores good − badWeight·(its other text): walking
// up from the paragraphs, a container gains by taking in more prose and loses
// by taking in navigation, teasers and link lists. The argmax over all
// elements is the article root; on ties the deepest element wins.
//
// This is hand-written rather than borrowed from readability because
// readability's comma-and-class scoring rewards the paragraph's direct parent
// and then needs sibling-merging heuristics for articles split by ad slots;
// a single good−bad objective handles both cases without special steps.

const (
	minParaLen       = 25  // bytes of text for a run to count as prose
	maxParaLinkShare = 0.6 // above this share of link text a run is navigation
	paraCost         = 0   // a per-paragraph cost; measured 8, 20, 50: all lose recall
	badWeight        = 1.0
	articleMajority  = 0.5 // share of prose one <article> must hold to become the root
	maxCardGood      = 400 // prose bytes below which a linked-headline block is a teaser
)

type nodeStats struct {
	text, link, good int
	headLink         int // link text in headings or link-wrapped blocks
	hasBlock         bool
}

type scorer struct {
	cards     map[*html.Node]bool
	best      *html.Node
	bestScore float64
}

// findRoot returns the article root and the teaser cards found on the page.
func findRoot(body *html.Node) (*html.Node, map[*html.Node]bool) {
	s := &scorer{bestScore: -1, cards: map[*html.Node]bool{}}
	s.visit(body, 0, false)
	return narrowToArticle(s.best), s.cards
}

// narrowToArticle descends from root into one of several <article>
// elements when that one holds most of the prose: pages that list teasers
// as <article> elements beside the story make the scorer climb above them.
func narrowToArticle(root *html.Node) *html.Node {
	if root == nil {
		return nil
	}
	var arts []*html.Node
	var find func(*html.Node)
	find = func(n *html.Node) {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if c.Type != html.ElementNode {
				continue
			}
			if c.DataAtom == atom.Article {
				arts = append(arts, c)
				continue
			}
			find(c)
		}
	}
	find(root)
	if len(arts) < 2 {
		return root
	}
	// The story's <article> carries the page headline; when some article
	// has an <h1>, only such an article may become the root.
	withH1 := false
	for _, a := range arts {
		if hasDescendant(a, atom.H1) {
			withH1 = true
		}
	}
	total := (&scorer{cards: map[*html.Node]bool{}}).visit(root, 0, false).good
	for _, a := range arts {
		if withH1 && !hasDescendant(a, atom.H1) {
			continue
		}
		if g := (&scorer{cards: map[*html.Node]bool{}}).visit(a, 0, false).good; float64(g) >= articleMajority*float64(total) {
			return a
		}
	}
	return root
}

// maxDepth bounds recursion on pathologically nested pages; deeper content is
// treated as plain text of its ancestor at the limit.
const maxDepth = 400

func (s *scorer) visit(n *html.Node, depth int, inLink bool) nodeStats {
	switch n.Type {
	case html.TextNode:
		l := len(n.Data)
		if l > 0 && (n.Data[0] <= ' ' || n.Data[l-1] <= ' ') {
			l = trimmedLen(n.Data)
		}
		return nodeStats{text: l}
	case html.ElementNode, html.DocumentNode:
	default:
		return nodeStats{}
	}
	if depth > maxDepth {
		return nodeStats{text: textLen(n)}
	}
	var st nodeStats
	var run nodeStats // inline run between block children
	flush := func() {
		if isProse(run.text, run.link) && !inLink {
			st.good += proseCredit(run.text, run.link)
		}
		run = nodeStats{}
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		cs := s.visit(c, depth+1, inLink || n.DataAtom == atom.A)
		st.text += cs.text
		st.link += cs.link
		st.headLink += cs.headLink
		if isBlock(c) || cs.hasBlock {
			flush()
			st.good += cs.good
			st.hasBlock = true
			continue
		}
		run.text += cs.text
		run.link += cs.link
	}
	if n.DataAtom == atom.A {
		st.link = st.text
		if st.hasBlock {
			st.headLink = st.text
		}
	}
	if isHeading(n) && st.link > 0 {
		st.headLink += st.link
	}
	if st.hasBlock {
		flush()
		if n.DataAtom == atom.Table && isDataTable(n) && st.link*3 < st.text {
			// A data table (standings, prices, results) reads as one unit of
			// content though every cell is short.
			st.good = st.text - st.link
		}
	} else if isBlock(n) && isProse(st.text, st.link) && !inLink {
		st.good = proseCredit(st.text, st.link)
	}
	// A teaser card (a linked headline over a short excerpt) is navigation
	// however prose-like its excerpt reads.
	if (st.hasBlock && st.headLink >= minParaLen/2 && st.good < maxCardGood && st.good > 0) || isTeaserList(n) {
		st.good = 0
		s.cards[n] = true
	}
	if n.Type == html.ElementNode && st.good > 0 {
		score := float64(st.good) - badWeight*float64(st.text-st.good)
		if score > s.bestScore {
			s.best, s.bestScore = n, score
		}
	}
	if !st.hasBlock && !isBlock(n) {
		st.good = 0 // inline elements count through their block ancestor
	}
	return st
}

// proseCredit is what a prose run adds to its containers: its non-link text
// less a fixed cost, so one long paragraph outweighs several one-line
// excerpts of the same total length.
func proseCredit(text, link int) int {
	return max(text-link-paraCost, 1)
}

func isProse(text, link int) bool {
	return text >= minParaLen && float64(link) <= maxParaLinkShare*float64(text)
}

func trimmedLen(s string) int {
	i, j := 0, len(s)
	for i < j && s[i] <= ' ' {
		i++
	}
	for j > i && s[j-1] <= ' ' {
		j--
	}
	return j - i
}

// isTeaserList reports whether n is a list whose items each open with a
// headline link ("<li><a>Headline</a> excerpt…</li>"): a news ticker or a
// related-stories box, however long the excerpts.
func isTeaserList(n *html.Node) bool {
	if n.DataAtom != atom.Ul && n.DataAtom != atom.Ol {
		return false
	}
	items, linked := 0, 0
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type != html.ElementNode || c.DataAtom != atom.Li {
			continue
		}
		items++
		if a := firstTextAncestorLink(c); a != nil && textLen(a) >= 20 && headlineOnOwnLine(c, a) {
			linked++
		}
	}
	return items >= 3 && linked*5 >= items*4
}

// headlineOnOwnLine reports whether link a forms the first line of item
// li on its own, as a headline above an excerpt does; a link that runs on
// into a sentence is part of the prose.
func headlineOnOwnLine(li, a *html.Node) bool {
	var b strings.Builder
	inlineText(&b, li, false)
	first, _, _ := strings.Cut(cleanLines(b.String()), "\n")
	return first == textOf(a)
}

// firstTextAncestorLink returns the <a> holding the first non-blank text
// under n, or nil when that text is not a link.
func firstTextAncestorLink(n *html.Node) *html.Node {
	var found *html.Node
	done := false
	var walk func(*html.Node, *html.Node)
	walk = func(x, link *html.Node) {
		for c := x.FirstChild; c != nil && !done; c = c.NextSibling {
			switch c.Type {
			case html.TextNode:
				if trimmedLen(c.Data) > 0 {
					found, done = link, true
				}
			case html.ElementNode:
				l := link
				if c.DataAtom == atom.A {
					l = c
				}
				walk(c, l)
			}
		}
	}
	walk(n, nil)
	return found
}

// isDataTable reports whether table n holds data rather than page layout:
// at least two rows and no cell containing other blocks.
func isDataTable(n *html.Node) bool {
	rows, ok := 0, true
	var walk func(*html.Node)
	walk = func(x *html.Node) {
		for c := x.FirstChild; c != nil && ok; c = c.NextSibling {
			if c.Type != html.ElementNode {
				continue
			}
			switch c.DataAtom {
			case atom.Tr:
				rows++
				walk(c)
			case atom.Td, atom.Th:
				if hasBlockDescendant(c) {
					ok = false
				}
			case atom.Table:
				ok = false
			default:
				walk(c)
			}
		}
	}
	walk(n)
	return ok && rows >= 2
}
