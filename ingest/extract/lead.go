package extract

import (
	"regexp"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// Many news templates put the standfirst (the lead paragraph under the
// headline) in the article header, outside the element that holds the body
// text, so the scorer's root misses it. It is found by its class or id
// ("intro", "lead", "standfirst", "dek", "summary") in the elements just
// before the root, and put back in front of the text.

var leadClassRe = regexp.MustCompile(`(?i)(^|[-_ ])(intro|lead|lede|standfirst|teaser-?text|summary|abstract|dek|deck|excerpt|subtitle|sub-?headline)($|[-_ ])`)

const (
	minLeadRunes = 60  // shorter: a kicker or a label
	maxLeadRunes = 700 // longer: a whole section, not a standfirst
	// leadLevels is how many ancestors of the root are searched; leadSiblings
	// how many preceding siblings at each level; leadNodes caps the nodes
	// looked at inside one sibling.
	leadLevels   = 3
	leadSiblings = 6
	leadNodes    = 200
)

// findLead returns the standfirst that precedes root, or nil.
func findLead(root *html.Node) *html.Node {
	for n, level := root, 0; n != nil && level < leadLevels; n, level = n.Parent, level+1 {
		seen := 0
		for s := n.PrevSibling; s != nil && seen < leadSiblings; s = s.PrevSibling {
			if s.Type != html.ElementNode {
				continue
			}
			seen++
			budget := leadNodes
			if l := leadIn(s, &budget); l != nil {
				return l
			}
		}
	}
	return nil
}

// leadIn searches n and its descendants, in document order and up to
// *budget nodes, for a standfirst element.
func leadIn(n *html.Node, budget *int) *html.Node {
	if *budget <= 0 || n.Type != html.ElementNode {
		return nil
	}
	*budget--
	if isLead(n) {
		return n
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if l := leadIn(c, budget); l != nil {
			return l
		}
	}
	return nil
}

func isLead(n *html.Node) bool {
	if n.DataAtom == atom.H1 || !leadClassRe.MatchString(classID(n)) {
		return false
	}
	text := collapse(textOf(n))
	r := utf8.RuneCountInString(text)
	if r < minLeadRunes || r > maxLeadRunes {
		return false
	}
	return linkLen(n)*3 < len(text)
}

// withLead puts the standfirst before blocks unless they already hold it.
func withLead(root *html.Node, blocks []block) []block {
	l := findLead(root)
	if l == nil {
		return blocks
	}
	lead := collectBlocks(l, nil)
	if len(lead) != 1 {
		return blocks // a header with several parts is not one standfirst
	}
	key := normKey(lead[0].text)
	for _, b := range blocks {
		if normKey(b.text) == key {
			return blocks
		}
	}
	lead[0].kind = atom.P
	return append(lead, blocks...)
}
