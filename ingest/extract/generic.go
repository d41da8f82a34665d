package extract

import (
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
	minParaLen       = 25   // bytes of text for a run to count as prose
	maxParaLinkShare = 0.6  // above this share of link text a run is navigation
	badWeight        = 0.5
)

type nodeStats struct {
	text, link, good int
	hasBlock         bool
}

type scorer struct {
	best      *html.Node
	bestScore float64
	bestGood  int
}

func findRoot(body *html.Node) (*html.Node, int) {
	s := &scorer{bestScore: -1}
	s.visit(body, 0, false)
	return s.best, s.bestGood
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
			st.good += run.text - run.link
		}
		run = nodeStats{}
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		cs := s.visit(c, depth+1, inLink || n.DataAtom == atom.A)
		st.text += cs.text
		st.link += cs.link
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
	}
	if st.hasBlock {
		flush()
	} else if isBlock(n) && isProse(st.text, st.link) && !inLink {
		st.good = st.text - st.link
	}
	if n.Type == html.ElementNode && st.good > 0 {
		score := float64(st.good) - badWeight*float64(st.text-st.good)
		if score > s.bestScore {
			s.best, s.bestScore, s.bestGood = n, score, st.good
		}
	}
	if !st.hasBlock && !isBlock(n) {
		st.good = 0 // inline elements count through their block ancestor
	}
	return st
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
